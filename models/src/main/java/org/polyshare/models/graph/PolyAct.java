package org.polyshare.models.graph;

import java.util.List;

/**
 * A polynomial activation after any layer: {@code y = outScale · (scale · x + shift)^degree},
 * elementwise. It covers both written forms, {@code (a·x + c)^d} ({@code outScale = 1}) and R-PKN's
 * {@code ap·(cp + x)^dp} ({@code scale = 1}, {@code shift = cp}, {@code outScale = ap}). Each of
 * {@code scale}, {@code shift}, {@code outScale} has one value (per tensor) or one per channel
 * (axis 0 of the per-sample input: {@code C} of {@code [C, H, W]}, or each feature of a {@code [D]}
 * vector). All three are weights (party 0's secret), like a PolyKerv's {@code cp}.
 *
 * <p>After a Conv the importer builds the fused {@link PolyKerv} instead; this layer is for the
 * activation-replacement form ({@code (x + cp)^2} in place of a ReLU after BatchNorm, a residual
 * Add, a Linear or a pool).
 */
public record PolyAct(
    String name, String input, double[] scale, double[] shift, int degree, double[] outScale)
    implements SingleInput {
  public static final int MAX_DEGREE = 8;

  public PolyAct {
    Check.name(name);
    Check.that(
        degree >= 1 && degree <= MAX_DEGREE,
        name,
        "degree must be in [1, %d], got %d",
        MAX_DEGREE,
        degree);
    for (double[] a : new double[][] {scale, shift, outScale}) {
      Check.that(a != null && a.length >= 1, name, "scale, shift and outScale need values");
    }
    Check.finite(scale, name, "scale");
    Check.finite(shift, name, "shift");
    Check.finite(outScale, name, "outScale");
  }

  /** {@code (x + shift)^degree}. */
  public static PolyAct shifted(String name, String input, double[] shift, int degree) {
    return new PolyAct(name, input, new double[] {1}, shift, degree, new double[] {1});
  }

  /** The channel count the per-channel parameters need (1 when all are per tensor). */
  public int channels() {
    return Math.max(scale.length, Math.max(shift.length, outScale.length));
  }

  public double scaleOf(int c) {
    return scale.length == 1 ? scale[0] : scale[c];
  }

  public double shiftOf(int c) {
    return shift.length == 1 ? shift[0] : shift[c];
  }

  public double outScaleOf(int c) {
    return outScale.length == 1 ? outScale[0] : outScale[c];
  }

  /** True when {@code scale} is all 1 (no product before the power). */
  public boolean isScaleOne() {
    return allOne(scale);
  }

  /** True when {@code outScale} is all 1 (no product after the power). */
  public boolean isOutScaleOne() {
    return allOne(outScale);
  }

  private static boolean allOne(double[] a) {
    for (double v : a) {
      if (v != 1) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code scale} and {@code outScale} are all 1 (the {@code (x + c)^d} form). */
  public boolean isShiftOnly() {
    for (double[] a : new double[][] {scale, outScale}) {
      for (double v : a) {
        if (v != 1) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public int[] outputShape(List<int[]> in) {
    int[] s = Check.one(in, name);
    for (double[] a : new double[][] {scale, shift, outScale}) {
      Check.that(
          a.length == 1 || a.length == s[0],
          name,
          "a per-channel parameter has %d values but the input has %d channels",
          a.length,
          s[0]);
    }
    return s.clone();
  }

  @Override
  public PolyAct rewire(String newName, String newInput) {
    return new PolyAct(newName, newInput, scale, shift, degree, outScale);
  }
}
