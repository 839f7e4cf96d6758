package org.polyshare.core.kernel;

/**
 * {@code C[m,n] = A[m,k] · B[k,n]}, row-major. For a dense layer: A = input, B = weights, and the
 * batch is {@code m}.
 */
public record MatMulShape(int m, int k, int n) implements BilinearMap {
  static final int CODE = 2;

  public MatMulShape {
    if (m < 1 || k < 1 || n < 1) {
      throw new IllegalArgumentException(
          "matmul dimensions must be positive: m=" + m + " k=" + k + " n=" + n);
    }
    if ((long) m * k > Integer.MAX_VALUE - 8
        || (long) k * n > Integer.MAX_VALUE - 8
        || (long) m * n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "matmul operands too large for one array: m=" + m + " k=" + k + " n=" + n);
    }
  }

  @Override
  public int leftNumel() {
    return m * k;
  }

  @Override
  public int rightNumel() {
    return k * n;
  }

  @Override
  public int outputNumel() {
    return m * n;
  }

  @Override
  public int[] outputShape() {
    return new int[] {m, n};
  }

  @Override
  public void applyAdd(long[] left, long[] right, long[] out) {
    if (left.length != leftNumel() || right.length != rightNumel() || out.length != outputNumel()) {
      throw new IllegalArgumentException(
          "matmul operands of "
              + left.length
              + ", "
              + right.length
              + " and "
              + out.length
              + " elements do not match "
              + this);
    }
    RingGemm.multiplyAdd(left, 0, right, 0, out, 0, m, k, n);
  }

  @Override
  public MatMulShape withBatch(int batch) {
    return new MatMulShape(batch, k, n);
  }

  @Override
  public long[] encode() {
    return new long[] {CODE, m, k, n};
  }

  public long macs() {
    return (long) m * k * n;
  }
}
