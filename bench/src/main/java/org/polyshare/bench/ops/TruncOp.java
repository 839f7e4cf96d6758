package org.polyshare.bench.ops;

import org.polyshare.core.protocol.Arithmetic;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Truncation;

/** Truncation alone: a 2f-bit value (x times the encoding of 1) rescaled back to f bits. */
final class TruncOp extends ElementwiseOp {
  TruncOp(int n, int fracBits) {
    super(n, fracBits, 1000, 0);
  }

  @Override
  public OpSession open(Party p, long[] w, long[] plainWeights) {
    return x -> Truncation.truncate(p, Arithmetic.mulRing(x, 1L << f));
  }

  @Override
  public long[] plaintext(long[] x, long[] w) {
    long[] o = new long[x.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = (x[i] << f) >> f;
    }
    return o;
  }

  @Override
  public double[] reference(double[] x, double[] w) {
    return x.clone();
  }
}
