package org.polyshare.core.protocol;

/**
 * Local (communication-free) operations on shares: the sharing is linear, so sums, differences and
 * products with public ring elements act on each share; a public constant is added by party 0
 * alone.
 */
public final class Arithmetic {
  private Arithmetic() {}

  public static long[] add(long[] x, long[] y) {
    sameLength(x, y);
    long[] out = new long[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = x[i] + y[i];
    }
    return out;
  }

  public static long[] sub(long[] x, long[] y) {
    sameLength(x, y);
    long[] out = new long[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = x[i] - y[i];
    }
    return out;
  }

  /** Shares of {@code x + c} for a public encoded constant {@code c} (party 0 adds it). */
  public static long[] addPublic(Party p, long[] x, long c) {
    long[] out = x.clone();
    if (p.isFirst()) {
      for (int i = 0; i < out.length; i++) {
        out[i] += c;
      }
    }
    return out;
  }

  /** Shares of {@code x + c} for a public encoded vector {@code c} (party 0 adds it). */
  public static long[] addPublic(Party p, long[] x, long[] c) {
    sameLength(x, c);
    return p.isFirst() ? add(x, c) : x.clone();
  }

  /** Shares of {@code k·x} for a public ring element {@code k} (no rescaling). */
  public static long[] mulRing(long[] x, long k) {
    long[] out = new long[x.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = x[i] * k;
    }
    return out;
  }

  /**
   * Shares of {@code k·x} for a public real {@code k}. When {@code k = 2^−s} exactly (a 2×2 or 4×4
   * pool, a power-of-two plane) it is a truncation by {@code s} alone: exact up to one ulp, and the
   * ring value being truncated stays at {@code f} fractional bits. Otherwise: multiply by {@code
   * round(k·2^(f+g))} and truncate by {@code f+g}, where {@code g = guardBits(f)} extra bits make
   * the constant's own rounding negligible. Error ≤ 1 + |x|·2^(−g−1) ulps (|x| in real units,
   * dealer truncation). Requires {@code |k·x| < 2^(62−2f−g)} in real units.
   *
   * <p>Why the shift matters for local truncation: its catastrophic probability is {@code
   * |value|/2^64} of the ring value truncated. With guard bits that value is {@code k·x·2^(2f+g)} —
   * at f = 16, g = 14 a probability of {@code |k·x|·2^−18} per element, 2^14 times that of a
   * product truncation. On tiny-pkn's 100-input test batch the 2×2 pool alone expected 0.047 wraps
   * per run; with the shift it is {@code |sum|·2^−48} per element.
   */
  public static long[] mulPublic(Party p, long[] x, double k) {
    int f = p.fixedPoint().fracBits();
    int s = exactShift(k);
    if (s > 0) {
      return Truncation.truncate(p, x, s);
    }
    int g = guardBits(f);
    double scaled = k * Math.scalb(1.0, f + g);
    if (!(Math.abs(scaled) < Math.scalb(1.0, 62))) {
      throw new IllegalArgumentException(
          "public constant " + k + " is too large to multiply at f = " + f);
    }
    return Truncation.truncate(p, mulRing(x, Math.round(scaled)), f + g);
  }

  /** {@code s ∈ [1, 62]} if {@code k = 2^−s} exactly, else −1. */
  public static int exactShift(double k) {
    if (!(k > 0) || k >= 1 || Math.getExponent(k) < -62) {
      return -1;
    }
    int s = -Math.getExponent(k);
    return Math.scalb(1.0, -s) == k ? s : -1;
  }

  /**
   * Bits {@link #mulPublic} truncates by for the constant {@code k} at {@code f} fractional bits.
   */
  public static int mulPublicShift(int f, double k) {
    int s = exactShift(k);
    return s > 0 ? s : f + guardBits(f);
  }

  /**
   * Extra precision bits for public constants: {@code min(f, max(0, 46 − 2f))}, so that a product
   * of magnitude up to 2^16 (real units) stays below the truncation limit 2^62 at f ≤ 23.
   */
  public static int guardBits(int f) {
    return Math.min(f, Math.max(0, 46 - 2 * f));
  }

  static void sameLength(long[] x, long[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("operand lengths differ: " + x.length + " vs " + y.length);
    }
  }
}
