package org.polyshare.bench.ops;

import org.polyshare.core.protocol.Beaver;
import org.polyshare.core.protocol.Party;

/** {@code x · w} element-wise: one Beaver triple and one truncation per element. */
final class MulOp extends ProductOp {
  MulOp(int n, int fracBits) {
    super(n, fracBits, false);
  }

  @Override
  public OpSession open(Party p, long[] w, long[] plainWeights) {
    return x -> Beaver.mul(p, x, w);
  }
}
