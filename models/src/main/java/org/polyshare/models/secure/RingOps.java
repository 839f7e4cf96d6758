package org.polyshare.models.secure;

import org.polyshare.core.protocol.Arithmetic;

/** The plaintext int64 forms of the truncation points, each an exact arithmetic shift. */
final class RingOps {
  private RingOps() {}

  /** {@code z >> f} in place. */
  static long[] shift(long[] z, int f) {
    for (int i = 0; i < z.length; i++) {
      z[i] >>= f;
    }
    return z;
  }

  /** {@code z += t} elementwise, in place (a public or party-0 shift added to shares or values). */
  static long[] addInPlace(long[] z, long[] t) {
    for (int i = 0; i < z.length; i++) {
      z[i] += t[i];
    }
    return z;
  }

  /** {@code ReLU(z) >> f}, as the garbled ReLU computes it (floor of the non-negative part). */
  static long[] reluShift(long[] z, int f) {
    long[] out = new long[z.length];
    for (int i = 0; i < z.length; i++) {
      out[i] = z[i] > 0 ? z[i] >> f : 0;
    }
    return out;
  }

  /** {@code x·y >> f} elementwise (a truncated fixed-point product). */
  static long[] mulShift(long[] x, long[] y, int f) {
    long[] out = new long[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = x[i] * y[i] >> f;
    }
    return out;
  }

  /**
   * {@link Arithmetic#mulPublic} in the clear: an exact shift for {@code 2^−s}, else guard bits.
   */
  static long[] scaleShift(long[] sums, double k, int f) {
    int bits = Arithmetic.mulPublicShift(f, k);
    if (Arithmetic.exactShift(k) > 0) {
      return shift(sums, bits);
    }
    long c = Math.round(k * Math.scalb(1.0, bits));
    for (int i = 0; i < sums.length; i++) {
      sums[i] = sums[i] * c >> bits;
    }
    return sums;
  }
}
