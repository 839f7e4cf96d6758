package org.polyshare.bench.ops;

import org.polyshare.core.kernel.MatMulShape;
import org.polyshare.core.kernel.RingGemm;
import org.polyshare.core.protocol.Beaver;
import org.polyshare.core.protocol.FixedWeightLinear;
import org.polyshare.core.protocol.Party;

/** {@code X · W} with X {@code m×k} from party 1 and W {@code k×n} from party 0. */
final class MatMulOp extends LinearOp {
  private final MatMulShape s;

  MatMulOp(MatMulShape s, LinearMode mode, int fracBits) {
    super(mode, fracBits, "m=" + s.m() + " k=" + s.k() + " n=" + s.n(), s.leftNumel(), s.rightNumel());
    this.s = s;
  }

  @Override
  FixedWeightLinear shared(Party p, long[] w) {
    return FixedWeightLinear.matmul(p, 0, w, s);
  }

  @Override
  FixedWeightLinear owned(Party p, long[] plainWeights) {
    return FixedWeightLinear.ownedMatMul(p, 0, plainWeights, s);
  }

  @Override
  long[] beaverRaw(Party p, long[] x, long[] w) {
    return Beaver.matmulRaw(p, x, w, s);
  }

  @Override
  public long[] plaintext(long[] x, long[] w) {
    return shift(RingGemm.multiply(x, w, s), f);
  }

  @Override
  public double[] reference(double[] x, double[] w) {
    double[] o = new double[s.outputNumel()];
    for (int i = 0; i < s.m(); i++) {
      for (int q = 0; q < s.k(); q++) {
        double a = x[i * s.k() + q];
        for (int j = 0; j < s.n(); j++) {
          o[i * s.n() + j] += a * w[q * s.n() + j];
        }
      }
    }
    return o;
  }
}
