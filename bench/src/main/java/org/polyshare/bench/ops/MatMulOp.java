package org.polyshare.bench.ops;

import org.polyshare.core.kernel.MatMulShape;

/** {@code X · W} with X {@code m×k} from party 1 and W {@code k×n} from party 0. */
final class MatMulOp extends LinearOp {
  private final MatMulShape s;

  MatMulOp(MatMulShape s, LinearMode mode, int fracBits) {
    super(mode, fracBits, s, "m=" + s.m() + " k=" + s.k() + " n=" + s.n());
    this.s = s;
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
