package org.polyshare.bench.ops;

import org.polyshare.core.protocol.Beaver;
import org.polyshare.core.protocol.Party;

/** {@code x · w} element-wise: one Beaver triple and one truncation per element. */
final class MulOp extends ElementwiseOp {
  MulOp(int n, int fracBits) {
    super(n, fracBits, 8, 8);
  }

  @Override
  public OpSession open(Party p, long[] w, long[] plainWeights) {
    return x -> Beaver.mul(p, x, w);
  }

  @Override
  public long[] plaintext(long[] x, long[] w) {
    long[] o = new long[x.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = (x[i] * w[i]) >> f;
    }
    return o;
  }

  @Override
  public double[] reference(double[] x, double[] w) {
    double[] o = new double[x.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = x[i] * w[i];
    }
    return o;
  }
}
