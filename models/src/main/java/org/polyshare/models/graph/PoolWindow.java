package org.polyshare.models.graph;

import java.util.Arrays;

/**
 * Geometry of a square 2-D pooling window: kernel, stride, dilation, per-side zero padding {@code
 * {top, left, bottom, right}} and the rounding of the output size (ONNX/PyTorch {@code ceil_mode}).
 * Output size per axis, with the extent {@code e = (k − 1)·d + 1}: {@code o = ⌊(n + p_begin + p_end
 * − e) / s⌋ + 1}, or the ceiling instead of the floor in ceil mode, where (as PyTorch and ONNX do)
 * a last window that would start inside the end padding is dropped.
 */
public record PoolWindow(int kernel, int stride, int dilation, int[] pads, boolean ceilMode) {
  public static final int[] NO_PADS = {0, 0, 0, 0};

  public PoolWindow {
    if (kernel < 1 || stride < 1 || dilation < 1) {
      throw new IllegalArgumentException(
          "pool kernel "
              + kernel
              + ", stride "
              + stride
              + ", dilation "
              + dilation
              + ": all must be positive");
    }
    if (pads == null || pads.length != 4) {
      throw new IllegalArgumentException(
          "pool pads must be {top, left, bottom, right}, got " + Arrays.toString(pads));
    }
    for (int p : pads) {
      if (p < 0) {
        throw new IllegalArgumentException("pool pads must be >= 0, got " + Arrays.toString(pads));
      }
    }
    pads = pads.clone();
  }

  public static PoolWindow of(int kernel, int stride) {
    return new PoolWindow(kernel, stride, 1, NO_PADS, false);
  }

  @Override
  public int[] pads() {
    return pads.clone();
  }

  public int padTop() {
    return pads[0];
  }

  public int padLeft() {
    return pads[1];
  }

  /** True when the window is the plain one: no padding, dilation 1, floor rounding. */
  public boolean isPlain() {
    return dilation == 1 && !ceilMode && Arrays.equals(pads, NO_PADS);
  }

  public int outH(int h, String layer) {
    return out(h, pads[0], pads[2], layer);
  }

  public int outW(int w, String layer) {
    return out(w, pads[1], pads[3], layer);
  }

  private int out(int n, int begin, int end, String layer) {
    int extent = (kernel - 1) * dilation + 1;
    int span = n + begin + end - extent;
    Check.that(
        span >= 0,
        layer,
        "pool window %d (dilation %d) does not fit input %d with pads" + " %d + %d",
        kernel,
        dilation,
        n,
        begin,
        end);
    int o = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
    if (ceilMode && (o - 1) * stride >= n + begin) {
      o--;
    }
    return o;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PoolWindow p
        && p.kernel == kernel
        && p.stride == stride
        && p.dilation == dilation
        && Arrays.equals(p.pads, pads)
        && p.ceilMode == ceilMode;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(pads) * 31 + kernel * 7 + stride * 3 + dilation + (ceilMode ? 1 : 0);
  }

  @Override
  public String toString() {
    return "k"
        + kernel
        + " s"
        + stride
        + (dilation != 1 ? " d" + dilation : "")
        + (Arrays.equals(pads, NO_PADS) ? "" : " pads" + Arrays.toString(pads))
        + (ceilMode ? " ceil" : "");
  }
}
