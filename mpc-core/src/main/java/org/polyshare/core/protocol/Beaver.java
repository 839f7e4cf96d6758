package org.polyshare.core.protocol;

import org.polyshare.core.correlation.BeaverTriples;
import org.polyshare.core.correlation.SquarePairs;
import org.polyshare.core.kernel.BilinearMap;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.Elementwise;
import org.polyshare.core.kernel.MatMulShape;

/**
 * Products of two shared operands with dealer triples, one round each (plus one for truncation in
 * the fixed-point forms).
 *
 * <p>For a bilinear map {@code ⊗} (elementwise, matmul, conv) and a triple {@code C = A ⊗ B}, the
 * parties open {@code E = X − A} and {@code F = Y − B} in one message; then {@code X ⊗ Y = C + E ⊗
 * B + A ⊗ F + E ⊗ F}, and party i's share is {@code C_i + E ⊗ B_i + A_i ⊗ F (+ E ⊗ F for i = 0)} =
 * {@code C_i + E ⊗ (B_i + [i=0]F) + A_i ⊗ F}: two local products per party. {@code E}, {@code F}
 * are uniform since {@code A}, {@code B} are. Squares use a pair {@code (r, r²)}: open {@code d = x
 * − r}, {@code x² = r² + 2dr + d²}.
 *
 * <p>Methods named {@code ...Raw} return the product with {@code 2f} fractional bits; the others
 * truncate it back to {@code f} in the party's truncation mode.
 */
public final class Beaver {
  private Beaver() {}

  /** Shares of {@code X ⊗ Y}, both shared, truncated back to {@code f} fractional bits. */
  public static long[] product(Party p, BilinearMap map, long[] x, long[] y) {
    return Truncation.truncate(p, productRaw(p, map, x, y));
  }

  /**
   * Shares of {@code X ⊗ Y} with {@code 2f} fractional bits: one triple over {@code map}, one
   * message {@code [X_i − A_i ‖ Y_i − B_i]} each way, two local products (see the class comment).
   */
  public static long[] productRaw(Party p, BilinearMap map, long[] x, long[] y) {
    if (x.length != map.leftNumel() || y.length != map.rightNumel()) {
      throw new IllegalArgumentException(
          "operands of "
              + x.length
              + " and "
              + y.length
              + " elements do not fit "
              + map
              + " (needs "
              + map.leftNumel()
              + " and "
              + map.rightNumel()
              + ")");
    }
    BeaverTriples t = p.correlations().triple(map);
    int n = x.length;
    long[] masked = new long[n + y.length];
    for (int i = 0; i < n; i++) {
      masked[i] = x[i] - t.a()[i];
    }
    for (int i = 0; i < y.length; i++) {
      masked[n + i] = y[i] - t.b()[i];
    }
    long[] other = Sharing.exchange(p, Tags.PRODUCT, masked);
    long[] e = new long[n];
    long[] f = new long[y.length];
    for (int i = 0; i < n; i++) {
      e[i] = masked[i] + other[i];
    }
    for (int i = 0; i < f.length; i++) {
      f[i] = masked[n + i] + other[n + i];
    }
    long[] z = t.c().clone();
    map.applyAdd(e, p.isFirst() ? Arithmetic.add(t.b(), f) : t.b(), z);
    map.applyAdd(t.a(), f, z);
    return z;
  }

  public static long[] mul(Party p, long[] x, long[] y) {
    return Truncation.truncate(p, mulRaw(p, x, y));
  }

  public static long[] mulRaw(Party p, long[] x, long[] y) {
    Arithmetic.sameLength(x, y);
    return x.length == 0 ? new long[0] : productRaw(p, new Elementwise(x.length), x, y);
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
    return product(p, s, x, w);
  }

  public static long[] matmulRaw(Party p, long[] x, long[] w, MatMulShape s) {
    return productRaw(p, s, x, w);
  }

  /**
   * Shares of {@code conv(X, W)}, both shared (generic triple; weights re-masked each call),
   * truncated.
   */
  public static long[] conv2d(Party p, long[] x, long[] w, Conv2dShape s) {
    return product(p, s, x, w);
  }

  public static long[] conv2dRaw(Party p, long[] x, long[] w, Conv2dShape s) {
    return productRaw(p, s, x, w);
  }

  static void addInPlace(long[] z, long[] c) {
    for (int i = 0; i < z.length; i++) {
      z[i] += c[i];
    }
  }

  static void checkLen(long[] x, int expected, String what) {
    if (x.length != expected) {
      throw new IllegalArgumentException(
          what + " has " + x.length + " elements, the shape needs " + expected);
    }
  }
}
