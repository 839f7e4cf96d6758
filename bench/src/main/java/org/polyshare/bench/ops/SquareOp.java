package org.polyshare.bench.ops;

import org.polyshare.core.protocol.Beaver;
import org.polyshare.core.protocol.Party;

/** {@code x²} element-wise: one square pair and one truncation per element. */
final class SquareOp extends ProductOp {
  SquareOp(int n, int fracBits) {
    super(n, fracBits, true);
  }

  @Override
  public OpSession open(Party p, long[] w, long[] plainWeights) {
    return x -> Beaver.square(p, x);
  }
}
