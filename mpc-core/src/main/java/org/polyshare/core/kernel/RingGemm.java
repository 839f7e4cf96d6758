package org.polyshare.core.kernel;

/**
 * Matrix product over Z_2^64 on row-major {@code long[]}: {@code C[m,n] (+)= A[m,k] · B[k,n]}.
 *
 * <p>Loop order i-p-j ("axpy" form): the innermost loop runs over a contiguous row of B and of C,
 * which HotSpot's superword pass vectorizes ({@code vpmullq} on AVX-512DQ). Four rows of B are
 * folded per pass so each load/store of C carries four multiply-adds. Columns are cut into
 * blocks of {@value #NB} (a C row segment stays in L1) and the reduction into blocks of
 * {@value #KB} rows (a B panel of {@code KB · NB · 8} bytes = 256 KiB stays in L2 while all m rows
 * of A pass over it). Single-threaded; callers parallelize over batch or output channels.
 */
public final class RingGemm {
  static final int NB = 512;
  static final int KB = 64;

  private RingGemm() {}

  /** A new {@code C = A · B}. */
  public static long[] multiply(long[] a, long[] b, MatMulShape s) {
    long[] c = new long[s.outputNumel()];
    multiplyAdd(a, 0, b, 0, c, 0, s.m(), s.k(), s.n());
    return c;
  }

  /** {@code C = A · B} into {@code c} (overwritten). */
  public static void multiplyInto(long[] a, long[] b, long[] c, MatMulShape s) {
    check(a.length >= s.leftNumel() && b.length >= s.rightNumel() && c.length >= s.outputNumel(), s);
    java.util.Arrays.fill(c, 0, s.outputNumel(), 0L);
    multiplyAdd(a, 0, b, 0, c, 0, s.m(), s.k(), s.n());
  }

  /**
   * {@code C += A · B} on sub-arrays: A at {@code aOff} ({@code m×k}), B at {@code bOff}
   * ({@code k×n}), C at {@code cOff} ({@code m×n}), all dense row-major.
   */
  public static void multiplyAdd(
      long[] a, int aOff, long[] b, int bOff, long[] c, int cOff, int m, int k, int n) {
    if (aOff < 0 || bOff < 0 || cOff < 0
        || aOff + (long) m * k > a.length || bOff + (long) k * n > b.length || cOff + (long) m * n > c.length) {
      throw new IllegalArgumentException(
          "gemm operands too short for m=" + m + " k=" + k + " n=" + n + " at the given offsets");
    }
    for (int jj = 0; jj < n; jj += NB) {
      int len = Math.min(NB, n - jj);
      for (int pp = 0; pp < k; pp += KB) {
        int pEnd = Math.min(k, pp + KB);
        for (int i = 0; i < m; i++) {
          int aRow = aOff + i * k;
          int cStart = cOff + i * n + jj;
          int p = pp;
          for (; p + 3 < pEnd; p += 4) {
            int b0 = bOff + p * n + jj;
            axpy4(c, cStart, b, b0, b0 + n, b0 + 2 * n, b0 + 3 * n,
                a[aRow + p], a[aRow + p + 1], a[aRow + p + 2], a[aRow + p + 3], len);
          }
          for (; p < pEnd; p++) {
            axpy1(c, cStart, b, bOff + p * n + jj, a[aRow + p], len);
          }
        }
      }
    }
  }

  private static void axpy4(
      long[] c, int cOff, long[] b, int b0, int b1, int b2, int b3,
      long a0, long a1, long a2, long a3, int len) {
    for (int j = 0; j < len; j++) {
      c[cOff + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
    }
  }

  private static void axpy1(long[] c, int cOff, long[] b, int b0, long a0, int len) {
    for (int j = 0; j < len; j++) {
      c[cOff + j] += a0 * b[b0 + j];
    }
  }

  private static void check(boolean ok, MatMulShape s) {
    if (!ok) {
      throw new IllegalArgumentException("gemm operand lengths do not match " + s);
    }
  }
}
