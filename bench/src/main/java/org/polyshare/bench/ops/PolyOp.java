package org.polyshare.bench.ops;

import org.polyshare.core.protocol.Activations;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.PowerChain;
import org.polyshare.core.ring.FixedPoint;

/**
 * The PolyKervNet activation {@code (x + c)^d} with {@code c = 1/2}: the library's secure power
 * ({@link Activations#power}) against its plaintext ring form ({@link PowerChain#ring}), so the
 * benchmark measures the schedule the models run.
 */
final class PolyOp extends ElementwiseOp {
  private static final double C = 0.5;
  private final int degree;
  private final long cEnc;

  /** Inputs bounded so that {@code |x + c|^d ≤ 2^12}: the result stays well inside the ring. */
  PolyOp(int n, int fracBits, int degree) {
    super(n, fracBits, bound(degree), 0);
    this.degree = degree;
    this.cEnc = new FixedPoint(fracBits).encode(C);
  }

  private static double bound(int degree) {
    if (degree < 1 || degree > 8) {
      throw new IllegalArgumentException("--degree must be in [1, 8], got " + degree);
    }
    return Math.pow(2, 12.0 / degree) - C;
  }

  @Override
  public OpSession open(Party p, long[] w, long[] plainWeights) {
    // c is public: party 0 holds it as its share, party 1 a zero share.
    return x -> Activations.power(p, x, p.id() == 0 ? cEnc : 0L, degree);
  }

  @Override
  public long[] plaintext(long[] x, long[] w) {
    long[] base = new long[x.length];
    for (int i = 0; i < base.length; i++) {
      base[i] = x[i] + cEnc;
    }
    return PowerChain.of(degree).ring(base, f);
  }

  @Override
  public double[] reference(double[] x, double[] w) {
    double[] o = new double[x.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = Math.pow(x[i] + C, degree);
    }
    return o;
  }
}
