package org.polyshare.core.kernel;

/**
 * The innermost loops of the ring kernels, over contiguous runs of {@code long}: the one place
 * where the scalar and the Vector API implementations differ. Every method computes exact sums in
 * Z_2^64 (wrapping {@code long} arithmetic), so both implementations agree bit for bit and the
 * scalar one is the vector one's test oracle. {@link RingKernels} picks one per process.
 */
interface LongLanes {

  /**
   * {@code C[r][j] += Σ_q A[r][q] · B[q][j]} for 4 rows r of C (at {@code c0}, stride {@code
   * cStride}), 4 rows q of B (at {@code b0}, stride {@code bStride}), the 4×4 block of A at {@code
   * a0} (row stride {@code aStride}), and {@code len} columns j.
   */
  void kernel4x4(
      long[] c,
      int c0,
      int cStride,
      long[] b,
      int b0,
      int bStride,
      long[] a,
      int a0,
      int aStride,
      int len);

  /** {@code C[j] += a0·B0[j] + a1·B1[j] + a2·B2[j] + a3·B3[j]} for {@code len} columns j. */
  void axpy4(
      long[] c,
      int cOff,
      long[] b,
      int b0,
      int b1,
      int b2,
      int b3,
      long a0,
      long a1,
      long a2,
      long a3,
      int len);

  /** {@code C[j] += a0 · B[j]} for {@code len} columns j. */
  void axpy1(long[] c, int cOff, long[] b, int b0, long a0, int len);

  /** {@code out[i] += left[i] · right[i]} for {@code i < n}. */
  void multiplyAdd(long[] left, long[] right, long[] out, int n);

  /** The implementation as a user reads it, e.g. {@code vector (8 long lanes)}. */
  String describe();
}
