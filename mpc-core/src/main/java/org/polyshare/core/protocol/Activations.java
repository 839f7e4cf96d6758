package org.polyshare.core.protocol;

import org.polyshare.core.kernel.RingConv;

/** Pooling and the polynomial activation of PolyKervNets on shares. */
public final class Activations {
  private Activations() {}

  /**
   * Average pooling, window {@code k×k}, stride, no padding, NCHW: the window sums are local; the
   * division by {@code k²} is a public fixed-point multiplication ({@link Arithmetic#mulPublic}).
   */
  public static long[] avgPool(
      Party p, long[] x, int batch, int channels, int h, int w, int k, int stride) {
    long[] sums = RingConv.sumPool2d(x, batch, channels, h, w, k, stride);
    return Arithmetic.mulPublic(p, sums, 1.0 / (k * k));
  }

  /** Global average pooling {@code [batch, channels, h, w] → [batch, channels]}. */
  public static long[] globalAvgPool(Party p, long[] x, int batch, int channels, int h, int w) {
    if (h != w) {
      long[] sums = new long[batch * channels];
      int plane = h * w;
      for (int i = 0; i < sums.length; i++) {
        long acc = 0;
        for (int j = 0; j < plane; j++) {
          acc += x[i * plane + j];
        }
        sums[i] = acc;
      }
      return Arithmetic.mulPublic(p, sums, 1.0 / plane);
    }
    return avgPool(p, x, batch, channels, h, w, h, 1);
  }

  /**
   * Shares of {@code (x + c)^d} for an integer {@code d ≥ 1} and a shared scalar {@code c} (party 0
   * passes its share, e.g. the model's {@code c_p}; party 1 its share, e.g. 0). Square and multiply
   * over the bits of {@code d} ({@link PowerChain}, which also lists the correlations this draws);
   * every product is truncated. {@code d = 2} costs one square pair and one truncation (two
   * rounds).
   */
  public static long[] power(Party p, long[] x, long cShare, int d) {
    PowerChain chain = PowerChain.of(d);
    long[] base = x.clone();
    for (int i = 0; i < base.length; i++) {
      base[i] += cShare;
    }
    return chain.secure(p, base);
  }
}
