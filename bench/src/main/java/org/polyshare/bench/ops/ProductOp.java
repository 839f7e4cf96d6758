package org.polyshare.bench.ops;

/**
 * An element-wise product {@code x_i · y_i} truncated by {@code f} bits, where the right factor
 * {@code y} is party 0's operand ({@link MulOp}) or {@code x} itself ({@link SquareOp}).
 */
abstract class ProductOp extends ElementwiseOp {
  private final boolean square;

  /** {@code square}: the right factor is the input itself, and the op is unary. */
  ProductOp(int n, int fracBits, boolean square) {
    super(n, fracBits, 8, square ? 0 : 8);
    this.square = square;
  }

  @Override
  public long[] plaintext(long[] x, long[] w) {
    long[] y = square ? x : w;
    long[] o = new long[x.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = (x[i] * y[i]) >> f;
    }
    return o;
  }

  @Override
  public double[] reference(double[] x, double[] w) {
    double[] y = square ? x : w;
    double[] o = new double[x.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = x[i] * y[i];
    }
    return o;
  }
}
