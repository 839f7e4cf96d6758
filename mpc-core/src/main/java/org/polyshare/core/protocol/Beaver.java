package org.polyshare.core.protocol;

import org.polyshare.core.ring.RingTensor;

import org.polyshare.core.correlation.BeaverTriples;
import org.polyshare.core.correlation.ConvTriple;
import org.polyshare.core.correlation.MatMulTriple;
import org.polyshare.core.correlation.SquarePairs;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.MatMulShape;
import org.polyshare.core.kernel.RingConv;
import org.polyshare.core.kernel.RingGemm;

/**
 * Products of two shared operands with dealer triples, one round each (plus one for truncation in
 * the fixed-point forms).
 *
 * <p>For a bilinear map {@code ⊗} (elementwise, matmul, conv) and a triple {@code C = A ⊗ B}, the
 * parties open {@code E = X − A} and {@code F = Y − B} in one message; then
 * {@code X ⊗ Y = C + E ⊗ B + A ⊗ F + E ⊗ F}, and party i's share is
 * {@code C_i + E ⊗ B_i + A_i ⊗ F (+ E ⊗ F for i = 0)} = {@code C_i + E ⊗ (B_i + [i=0]F) + A_i ⊗ F}:
 * two local products per party. {@code E}, {@code F} are uniform since {@code A}, {@code B} are.
 * Squares use a pair {@code (r, r²)}: open {@code d = x − r}, {@code x² = r² + 2dr + d²}.
 *
 * <p>Methods named {@code ...Raw} return the product with {@code 2f} fractional bits; the others
 * truncate it back to {@code f} in the party's truncation mode.
 */
public final class Beaver {
  private Beaver() {}

  public static long[] mul(Party p, long[] x, long[] y) {
    return Truncation.truncate(p, mulRaw(p, x, y));
  }

  public static long[] mulRaw(Party p, long[] x, long[] y) {
    Arithmetic.sameLength(x, y);
    int n = x.length;
    if (n == 0) {
      return new long[0];
    }
    BeaverTriples t = p.correlations().triples(n);
    long[] masked = new long[2 * n];
    for (int i = 0; i < n; i++) {
      masked[i] = x[i] - t.a()[i];
      masked[n + i] = y[i] - t.b()[i];
    }
    long[] other = Sharing.exchange(p, Tags.MUL, masked);
    long[] z = new long[n];
    boolean first = p.isFirst();
    for (int i = 0; i < n; i++) {
      long d = masked[i] + other[i];
      long e = masked[n + i] + other[n + i];
      long v = t.c()[i] + d * t.b()[i] + e * t.a()[i];
      z[i] = first ? v + d * e : v;
    }
    return z;
  }

  public static long[] square(Party p, long[] x) {
    return Truncation.truncate(p, squareRaw(p, x));
  }

  public static long[] squareRaw(Party p, long[] x) {
    int n = x.length;
    if (n == 0) {
      return new long[0];
    }
    SquarePairs s = p.correlations().squares(n);
    long[] masked = new long[n];
    for (int i = 0; i < n; i++) {
      masked[i] = x[i] - s.r()[i];
    }
    long[] other = Sharing.exchange(p, Tags.SQUARE, masked);
    long[] z = new long[n];
    boolean first = p.isFirst();
    for (int i = 0; i < n; i++) {
      long d = masked[i] + other[i];
      long v = s.r2()[i] + 2 * d * s.r()[i];
      z[i] = first ? v + d * d : v;
    }
    return z;
  }

  /** Shares of {@code X[m,k] · W[k,n]}, both shared, truncated. */
  public static long[] matmul(Party p, long[] x, long[] w, MatMulShape s) {
    return Truncation.truncate(p, matmulRaw(p, x, w, s));
  }

  public static long[] matmulRaw(Party p, long[] x, long[] w, MatMulShape s) {
    checkLen(x, s.leftNumel(), "matmul left operand");
    checkLen(w, s.rightNumel(), "matmul right operand");
    MatMulTriple t = p.correlations().matmulTriple(s);
    long[][] ef = openPair(p, Tags.MATMUL, x, t.a(), w, t.b());
    long[] e = ef[0];
    long[] f = ef[1];
    long[] z = RingGemm.multiply(e, rightShare(p, t.b(), f), s);
    RingGemm.multiplyAdd(t.a(), 0, f, 0, z, 0, s.m(), s.k(), s.n());
    addInPlace(z, t.c());
    return z;
  }

  /** Shares of {@code conv(X, W)}, both shared (generic triple; weights re-masked each call), truncated. */
  public static long[] conv2d(Party p, long[] x, long[] w, Conv2dShape s) {
    return Truncation.truncate(p, conv2dRaw(p, x, w, s));
  }

  public static long[] conv2dRaw(Party p, long[] x, long[] w, Conv2dShape s) {
    checkLen(x, s.inputNumel(), "conv2d input");
    checkLen(w, s.weightNumel(), "conv2d weights");
    ConvTriple t = p.correlations().convTriple(s);
    long[][] ef = openPair(p, Tags.CONV, x, t.a(), w, t.b());
    long[] z = RingConv.conv2d(ef[0], rightShare(p, t.b(), ef[1]), s);
    addInPlace(z, RingConv.conv2d(t.a(), ef[1], s));
    addInPlace(z, t.c());
    return z;
  }

  /** Tensor form of {@link #mul(Party, long[], long[])}: same shapes in, same shape out. */
  public static RingTensor mul(Party p, RingTensor x, RingTensor y) {
    if (!x.sameShape(y)) {
      throw new IllegalArgumentException("mul: shape mismatch " + x + " vs " + y);
    }
    return RingTensor.of(mul(p, x.data(), y.data()), x.shape());
  }

  /** Tensor form of {@link #square(Party, long[])}. */
  public static RingTensor square(Party p, RingTensor x) {
    return RingTensor.of(square(p, x.data()), x.shape());
  }

  /** Opens {@code x − a} and {@code w − b} in one message. */
  private static long[][] openPair(Party p, int tag, long[] x, long[] a, long[] w, long[] b) {
    int n = x.length;
    long[] masked = new long[n + w.length];
    for (int i = 0; i < n; i++) {
      masked[i] = x[i] - a[i];
    }
    for (int i = 0; i < w.length; i++) {
      masked[n + i] = w[i] - b[i];
    }
    long[] other = Sharing.exchange(p, tag, masked);
    long[] e = new long[n];
    long[] f = new long[w.length];
    for (int i = 0; i < n; i++) {
      e[i] = masked[i] + other[i];
    }
    for (int i = 0; i < f.length; i++) {
      f[i] = masked[n + i] + other[n + i];
    }
    return new long[][] {e, f};
  }

  /** {@code B_i + [i=0]·F}. */
  private static long[] rightShare(Party p, long[] b, long[] f) {
    return p.isFirst() ? Arithmetic.add(b, f) : b;
  }

  static void addInPlace(long[] z, long[] c) {
    for (int i = 0; i < z.length; i++) {
      z[i] += c[i];
    }
  }

  static void checkLen(long[] x, int expected, String what) {
    if (x.length != expected) {
      throw new IllegalArgumentException(what + " has " + x.length + " elements, the shape needs " + expected);
    }
  }
}
