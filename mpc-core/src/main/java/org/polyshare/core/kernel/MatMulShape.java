package org.polyshare.core.kernel;

/** {@code C[m,n] = A[m,k] · B[k,n]}, row-major. For a dense layer: A = input, B = weights. */
public record MatMulShape(int m, int k, int n) {
  public MatMulShape {
    if (m < 1 || k < 1 || n < 1) {
      throw new IllegalArgumentException("matmul dimensions must be positive: m=" + m + " k=" + k + " n=" + n);
    }
    if ((long) m * k > Integer.MAX_VALUE - 8 || (long) k * n > Integer.MAX_VALUE - 8 || (long) m * n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("matmul operands too large for one array: m=" + m + " k=" + k + " n=" + n);
    }
  }

  public int leftNumel() {
    return m * k;
  }

  public int rightNumel() {
    return k * n;
  }

  public int outputNumel() {
    return m * n;
  }

  public long macs() {
    return (long) m * k * n;
  }
}
