package org.polyshare.core.kernel;

/**
 * The shape of a 2-D convolution over NCHW tensors: input {@code [batch, inC, h, w]}, weights
 * {@code [outC, inC, kH, kW]}, output {@code [batch, outC, outH, outW]}, with one stride and one
 * zero padding for both spatial axes. As a {@link BilinearMap}: left = input, right = weights.
 */
public record Conv2dShape(
    int batch, int inC, int h, int w, int outC, int kH, int kW, int stride, int pad)
    implements BilinearMap {
  static final int CODE = 3;

  public Conv2dShape {
    if (batch < 1 || inC < 1 || h < 1 || w < 1 || outC < 1 || kH < 1 || kW < 1) {
      throw new IllegalArgumentException(
          "conv2d dimensions must be positive: "
              + describe(batch, inC, h, w, outC, kH, kW, stride, pad));
    }
    if (stride < 1 || pad < 0) {
      throw new IllegalArgumentException(
          "conv2d needs stride >= 1 and pad >= 0: "
              + describe(batch, inC, h, w, outC, kH, kW, stride, pad));
    }
    if (h + 2 * pad < kH || w + 2 * pad < kW) {
      throw new IllegalArgumentException(
          "conv2d kernel larger than the padded input: "
              + describe(batch, inC, h, w, outC, kH, kW, stride, pad));
    }
    long in = (long) batch * inC * h * w;
    long wt = (long) outC * inC * kH * kW;
    long out =
        (long) batch
            * outC
            * (((long) h + 2 * pad - kH) / stride + 1)
            * (((long) w + 2 * pad - kW) / stride + 1);
    long cols =
        (long) inC
            * kH
            * kW
            * (((long) h + 2 * pad - kH) / stride + 1)
            * (((long) w + 2 * pad - kW) / stride + 1);
    if (Math.max(Math.max(in, wt), Math.max(out, cols)) > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "conv2d tensors too large for one array: "
              + describe(batch, inC, h, w, outC, kH, kW, stride, pad));
    }
  }

  /** A square-kernel convolution. */
  public static Conv2dShape of(int batch, int inC, int hw, int outC, int k, int stride, int pad) {
    return new Conv2dShape(batch, inC, hw, hw, outC, k, k, stride, pad);
  }

  public int outH() {
    return (h + 2 * pad - kH) / stride + 1;
  }

  public int outW() {
    return (w + 2 * pad - kW) / stride + 1;
  }

  public int inputNumel() {
    return batch * inC * h * w;
  }

  public int weightNumel() {
    return outC * inC * kH * kW;
  }

  @Override
  public int outputNumel() {
    return batch * outC * outH() * outW();
  }

  @Override
  public int leftNumel() {
    return inputNumel();
  }

  @Override
  public int rightNumel() {
    return weightNumel();
  }

  @Override
  public void applyAdd(long[] left, long[] right, long[] out) {
    RingConv.conv2dAdd(left, right, out, this);
  }

  @Override
  public long[] encode() {
    return new long[] {CODE, batch, inC, h, w, outC, kH, kW, stride, pad};
  }

  /** Length of one im2col column: {@code inC · kH · kW}, the reduction length. */
  public int patchSize() {
    return inC * kH * kW;
  }

  public int[] inputShape() {
    return new int[] {batch, inC, h, w};
  }

  public int[] weightShape() {
    return new int[] {outC, inC, kH, kW};
  }

  @Override
  public int[] outputShape() {
    return new int[] {batch, outC, outH(), outW()};
  }

  /** Multiply-adds of one convolution. */
  public long macs() {
    return (long) outputNumel() * patchSize();
  }

  /** The same layer with another batch size. */
  @Override
  public Conv2dShape withBatch(int newBatch) {
    return new Conv2dShape(newBatch, inC, h, w, outC, kH, kW, stride, pad);
  }

  private static String describe(
      int batch, int inC, int h, int w, int outC, int kH, int kW, int stride, int pad) {
    return "batch="
        + batch
        + " inC="
        + inC
        + " h="
        + h
        + " w="
        + w
        + " outC="
        + outC
        + " kH="
        + kH
        + " kW="
        + kW
        + " stride="
        + stride
        + " pad="
        + pad;
  }
}
