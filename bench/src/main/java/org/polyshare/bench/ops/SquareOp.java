package org.polyshare.bench.ops;

import org.polyshare.core.protocol.Beaver;
import org.polyshare.core.protocol.Party;

/** {@code x²} element-wise: one square pair and one truncation per element. */
final class SquareOp extends ElementwiseOp {
  SquareOp(int n, int fracBits) {
    super(n, fracBits, 8, 0);
  }

  @Override
  public OpSession open(Party p, long[] w, long[] plainWeights) {
    return x -> Beaver.square(p, x);
  }

  @Override
  public long[] plaintext(long[] x, long[] w) {
    long[] o = new long[x.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = (x[i] * x[i]) >> f;
    }
    return o;
  }

  @Override
  public double[] reference(double[] x, double[] w) {
    double[] o = new double[x.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = x[i] * x[i];
    }
    return o;
  }
}
