package org.polyshare.core.kernel;

/**
 * Matrix product over Z_2^64 on row-major {@code long[]}: {@code C[m,n] (+)= A[m,k] · B[k,n]}.
 *
 * <p>Loop order i-p-j ("axpy" form): the innermost loop runs over contiguous rows of B and of C, in
 * {@link LongLanes}: on the JDK Vector API where {@link RingKernels} finds it (8 long lanes, {@code
 * vpmullq} on AVX-512DQ), else plain loops left to HotSpot's superword pass. The micro-kernel
 * updates four rows of C from four rows of B at once: each B element loaded feeds four rows and
 * each C load/store carries four multiply-adds (16 MACs per 4 B loads + 4 C load/stores, against 1
 * + 2 for a plain axpy). Columns are cut into blocks of {@value #NB} (a C row segment stays in L1)
 * and the reduction into blocks of {@value #KB} rows (a B panel of {@code KB · NB · 8} bytes = 256
 * KiB stays in L2 while all m rows of A pass over it). Products run over the kernel pool ({@link
 * RingThreads}), split into row or column blocks; the result is bit-identical for every thread
 * count (each C element's sum is exact). Where {@link RingKernels#limbs} says so, a product whose
 * left operand is narrow (fixed-point weights) runs as exact double-precision limb products instead
 * ({@link LimbGemm}), with the same bits.
 */
public final class RingGemm {
  static final int NB = 512;
  static final int KB = 64;

  /** Multiply-adds below which a block is not worth a hand-off (~30 µs of one core). */
  static final long MIN_BLOCK_MACS = 1L << 16;

  /** Rows of A below which the limb product's packing of B does not pay. */
  static final int LIMB_MIN_ROWS = 16;

  private RingGemm() {}

  /** A new {@code C = A · B}. */
  public static long[] multiply(long[] a, long[] b, MatMulShape s) {
    long[] c = new long[s.outputNumel()];
    multiplyAdd(a, 0, b, 0, c, 0, s.m(), s.k(), s.n());
    return c;
  }

  /** {@code C = A · B} into {@code c} (overwritten). */
  public static void multiplyInto(long[] a, long[] b, long[] c, MatMulShape s) {
    multiplyInto(RingThreads.shared(), a, b, c, s);
  }

  static void multiplyInto(RingThreads pool, long[] a, long[] b, long[] c, MatMulShape s) {
    check(
        a.length >= s.leftNumel() && b.length >= s.rightNumel() && c.length >= s.outputNumel(), s);
    java.util.Arrays.fill(c, 0, s.outputNumel(), 0L);
    multiplyAdd(pool, a, 0, b, 0, c, 0, s.m(), s.k(), s.n());
  }

  /**
   * {@code C += A · B} on sub-arrays: A at {@code aOff} ({@code m×k}), B at {@code bOff} ({@code
   * k×n}), C at {@code cOff} ({@code m×n}), all dense row-major; over the {@linkplain
   * RingThreads#shared() process pool}.
   */
  public static void multiplyAdd(
      long[] a, int aOff, long[] b, int bOff, long[] c, int cOff, int m, int k, int n) {
    multiplyAdd(RingThreads.shared(), a, aOff, b, bOff, c, cOff, m, k, n);
  }

  /**
   * {@link #multiplyAdd} over {@code pool}. Rows of C are cut into contiguous blocks of whole 4-row
   * quads (the micro-kernel's unit) when there are at least as many quads as threads, else columns
   * into blocks of whole 8-column groups (a dense layer at batch 1 has one row; a limb product,
   * which packs B per block, whenever each thread gets {@value LimbGemm#NB} columns); each block is
   * an independent sub-product writing its own part of C, and below {@value #MIN_BLOCK_MACS}
   * multiply-adds per block the product runs inline.
   */
  static void multiplyAdd(
      RingThreads pool,
      long[] a,
      int aOff,
      long[] b,
      int bOff,
      long[] c,
      int cOff,
      int m,
      int k,
      int n) {
    multiplyAdd(pool, a, aOff, k, b, bOff, c, cOff, m, k, n);
  }

  /**
   * {@code C += A · B} where A is the {@code m×k} block at {@code aOff} of a row-major matrix with
   * {@code lda ≥ k} columns (a column block: the weights of some input channels); B and C dense.
   * With the k-blocks of a product applied one by one, {@code Σ_blocks A[:, block]·B[block, :]} is
   * the whole product, bit for bit (ring sums are exact in any order).
   */
  public static void multiplyAddStrided(
      long[] a, int aOff, int lda, long[] b, int bOff, long[] c, int cOff, int m, int k, int n) {
    multiplyAdd(RingThreads.shared(), a, aOff, lda, b, bOff, c, cOff, m, k, n);
  }

  static void multiplyAdd(
      RingThreads pool,
      long[] a,
      int aOff,
      int lda,
      long[] b,
      int bOff,
      long[] c,
      int cOff,
      int m,
      int k,
      int n) {
    if (aOff < 0
        || bOff < 0
        || cOff < 0
        || lda < k
        || (m > 0 && aOff + (long) (m - 1) * lda + k > a.length)
        || bOff + (long) k * n > b.length
        || cOff + (long) m * n > c.length) {
      throw new IllegalArgumentException(
          "gemm operands too short for m=" + m + " k=" + k + " n=" + n + " at the given offsets");
    }
    if (m == 0 || n == 0 || k == 0) {
      return;
    }
    LongLanes lanes = RingKernels.lanes();
    int alpha = narrowAlpha(a, aOff, lda, m, k, n);
    int quads = (m + 3) / 4;
    // The limb product packs its B panel per block: split its columns when each thread still gets
    // a whole panel, so no two threads pack the same one.
    boolean limbColumns = alpha <= LimbGemm.MAX_ALPHA && n >= pool.threads() * LimbGemm.NB;
    boolean byRows = quads >= pool.threads() && !limbColumns;
    if (byRows) {
      int grain = grain(4L * k * n);
      pool.forEachBlock(
          quads,
          grain,
          (q0, q1) -> {
            int i0 = 4 * q0;
            int i1 = Math.min(m, 4 * q1);
            block(
                lanes,
                alpha,
                a,
                aOff + i0 * lda,
                lda,
                b,
                bOff,
                n,
                c,
                cOff + i0 * n,
                n,
                i1 - i0,
                k,
                n);
          });
    } else {
      int groups = (n + 7) / 8;
      int grain = grain(8L * m * k);
      pool.forEachBlock(
          groups,
          grain,
          (g0, g1) -> {
            int j0 = 8 * g0;
            int j1 = Math.min(n, 8 * g1);
            block(lanes, alpha, a, aOff, lda, b, bOff + j0, n, c, cOff + j0, n, m, k, j1 - j0);
          });
    }
  }

  /**
   * The α of {@link LimbGemm#alpha} when the limb product applies ({@link RingKernels#limbs}, a
   * product large enough to repay its packing, and an A narrow enough), else 64.
   */
  private static int narrowAlpha(long[] a, int aOff, int lda, int m, int k, int n) {
    if (!RingKernels.limbs() || m < LIMB_MIN_ROWS || n < 8) {
      return 64;
    }
    return LimbGemm.alpha(a, aOff, lda, m, k);
  }

  /** One block of the product: the limb kernel for a narrow A, else the long lanes. */
  private static void block(
      LongLanes lanes,
      int alpha,
      long[] a,
      int aOff,
      int lda,
      long[] b,
      int bOff,
      int ldb,
      long[] c,
      int cOff,
      int ldc,
      int m,
      int k,
      int n) {
    if (alpha <= LimbGemm.MAX_ALPHA) {
      LimbGemm.serial(lanes, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, k, n);
    } else {
      serial(lanes, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, m, k, n);
    }
  }

  /** Least items per block so that one block does {@value #MIN_BLOCK_MACS} multiply-adds. */
  static int grain(long macsPerItem) {
    return (int)
        Math.max(1, Math.min(Integer.MAX_VALUE, (MIN_BLOCK_MACS + macsPerItem - 1) / macsPerItem));
  }

  /**
   * The single-thread product {@code C += A · B}: A {@code m×k} at {@code aOff} with row stride
   * {@code lda}, B {@code k×n} with row stride {@code ldb}, C {@code m×n} with row stride {@code
   * ldc}; the column loops run on {@code lanes}.
   */
  static void serial(
      LongLanes lanes,
      long[] a,
      int aOff,
      int lda,
      long[] b,
      int bOff,
      int ldb,
      long[] c,
      int cOff,
      int ldc,
      int m,
      int k,
      int n) {
    for (int jj = 0; jj < n; jj += NB) {
      int len = Math.min(NB, n - jj);
      for (int pp = 0; pp < k; pp += KB) {
        int pEnd = Math.min(k, pp + KB);
        int i = 0;
        for (; i + 3 < m; i += 4) {
          int aRow = aOff + i * lda;
          int cStart = cOff + i * ldc + jj;
          int p = pp;
          for (; p + 3 < pEnd; p += 4) {
            lanes.kernel4x4(c, cStart, ldc, b, bOff + p * ldb + jj, ldb, a, aRow + p, lda, len);
          }
          for (; p < pEnd; p++) {
            int bRow = bOff + p * ldb + jj;
            for (int r = 0; r < 4; r++) {
              lanes.axpy1(c, cStart + r * ldc, b, bRow, a[aRow + r * lda + p], len);
            }
          }
        }
        for (; i < m; i++) {
          int aRow = aOff + i * lda;
          int cStart = cOff + i * ldc + jj;
          int p = pp;
          for (; p + 3 < pEnd; p += 4) {
            int b0 = bOff + p * ldb + jj;
            lanes.axpy4(
                c,
                cStart,
                b,
                b0,
                b0 + ldb,
                b0 + 2 * ldb,
                b0 + 3 * ldb,
                a[aRow + p],
                a[aRow + p + 1],
                a[aRow + p + 2],
                a[aRow + p + 3],
                len);
          }
          for (; p < pEnd; p++) {
            lanes.axpy1(c, cStart, b, bOff + p * ldb + jj, a[aRow + p], len);
          }
        }
      }
    }
  }

  /**
   * The transpose of a row-major {@code rows × cols} matrix, e.g. a PyTorch dense weight {@code
   * [out, in]} to the {@code [in, out]} right operand of {@code x · W^T}.
   */
  public static long[] transpose(long[] a, int rows, int cols) {
    if ((long) rows * cols != a.length) {
      throw new IllegalArgumentException(
          "cannot transpose " + a.length + " elements as a " + rows + " x " + cols + " matrix");
    }
    long[] t = new long[a.length];
    for (int i0 = 0; i0 < rows; i0 += 32) {
      for (int j0 = 0; j0 < cols; j0 += 32) {
        int iEnd = Math.min(rows, i0 + 32);
        int jEnd = Math.min(cols, j0 + 32);
        for (int i = i0; i < iEnd; i++) {
          for (int j = j0; j < jEnd; j++) {
            t[j * rows + i] = a[i * cols + j];
          }
        }
      }
    }
    return t;
  }

  private static void check(boolean ok, MatMulShape s) {
    if (!ok) {
      throw new IllegalArgumentException("gemm operand lengths do not match " + s);
    }
  }
}
