package org.polyshare.core.ring;

import com.google.common.base.Preconditions;

/**
 * Fixed-point codec between reals and Z_2^64: {@code v ↦ round(v · 2^f)}, two's complement.
 *
 * <p>A product of two encoded values carries {@code 2f} fractional bits and has to be truncated by
 * {@code f}. Encoding refuses NaN, infinities and values whose encoding would not fit in 63 bits,
 * naming the value and the limit: a silently wrapped input is the worst kind of wrong answer.
 */
public final class FixedPoint {
  public static final int DEFAULT_FRAC_BITS = 16;
  public static final int MIN_FRAC_BITS = 8;
  public static final int MAX_FRAC_BITS = 30;

  private static final FixedPoint DEFAULT = new FixedPoint(DEFAULT_FRAC_BITS);

  private final int fracBits;
  private final double scale;
  private final double limit;

  public FixedPoint(int fracBits) {
    Preconditions.checkArgument(
        fracBits >= MIN_FRAC_BITS && fracBits <= MAX_FRAC_BITS,
        "fractional bits must be in [%s, %s], got %s",
        MIN_FRAC_BITS,
        MAX_FRAC_BITS,
        fracBits);
    this.fracBits = fracBits;
    this.scale = Math.scalb(1.0, fracBits);
    this.limit = Math.scalb(1.0, 63 - fracBits);
  }

  public static FixedPoint defaults() {
    return DEFAULT;
  }

  public int fracBits() {
    return fracBits;
  }

  /** The encoding of 1.0, i.e. 2^f. */
  public long one() {
    return 1L << fracBits;
  }

  /** Largest magnitude that encodes without wrapping: 2^(63 − f), exclusive. */
  public double limit() {
    return limit;
  }

  public long encode(double v) {
    if (Double.isNaN(v)) {
      throw new IllegalArgumentException("cannot encode NaN in fixed point");
    }
    if (!(Math.abs(v) < limit)) {
      throw new IllegalArgumentException(
          "value "
              + v
              + " is outside the fixed-point range (-2^"
              + (63 - fracBits)
              + ", 2^"
              + (63 - fracBits)
              + ") at f = "
              + fracBits
              + " fractional bits; rescale the input or lower f");
    }
    return Math.round(v * scale);
  }

  public long[] encode(double[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (Double.isNaN(v) || !(Math.abs(v) < limit)) {
        try {
          encode(v);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("element " + i + ": " + e.getMessage(), e);
        }
      }
      out[i] = Math.round(v * scale);
    }
    return out;
  }

  public double decode(long x) {
    return x / scale;
  }

  public double[] decode(long[] xs) {
    double[] out = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      out[i] = xs[i] / scale;
    }
    return out;
  }

  @Override
  public String toString() {
    return "FixedPoint(f=" + fracBits + ")";
  }
}
