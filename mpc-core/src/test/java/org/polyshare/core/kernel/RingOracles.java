package org.polyshare.core.kernel;

import java.util.SplittableRandom;

/** Random ring elements and the by-definition product the kernel tests check against. */
final class RingOracles {
  private RingOracles() {}

  /** {@code n} uniform elements of Z_2^64, drawn in order from {@code rnd}. */
  static long[] random(SplittableRandom rnd, int n) {
    long[] x = new long[n];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextLong();
    }
    return x;
  }

  /** {@code C = A · B} in Z_2^64 for row-major {@code m×k} A and {@code k×n} B: the triple loop. */
  static long[] naiveGemm(long[] a, long[] b, int m, int k, int n) {
    long[] c = new long[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        long acc = 0;
        for (int p = 0; p < k; p++) {
          acc += a[i * k + p] * b[p * n + j];
        }
        c[i * n + j] = acc;
      }
    }
    return c;
  }
}
