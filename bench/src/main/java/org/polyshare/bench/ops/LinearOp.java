package org.polyshare.bench.ops;

import org.polyshare.bench.harness.PhaseCost;
import org.polyshare.bench.harness.PhaseTimer;
import org.polyshare.core.protocol.FixedWeightLinear;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Truncation;

/**
 * A ring product of party 1's input and party 0's secret weights (matmul or conv2d), followed by
 * one truncation. The product alone is timed as the op's linear part.
 */
abstract class LinearOp implements OpCase {
  final int f;
  private final LinearMode mode;
  private final String shape;
  private final int inputLength;
  private final int weightLength;

  LinearOp(LinearMode mode, int fracBits, String shape, int inputLength, int weightLength) {
    this.mode = mode;
    this.f = fracBits;
    this.shape = shape;
    this.inputLength = inputLength;
    this.weightLength = weightLength;
  }

  /** The fixed-weight layer on a shared W. */
  abstract FixedWeightLinear shared(Party p, long[] weightShare);

  /** The fixed-weight layer whose W party 0 holds in the clear. */
  abstract FixedWeightLinear owned(Party p, long[] plainWeights);

  /** The product with a generic triple, before truncation. */
  abstract long[] beaverRaw(Party p, long[] x, long[] weightShare);

  @Override
  public String shape() {
    return shape;
  }

  @Override
  public int inputLength() {
    return inputLength;
  }

  @Override
  public int weightLength() {
    return weightLength;
  }

  @Override
  public double inputBound() {
    return 4;
  }

  @Override
  public double weightBound() {
    return 0.25;
  }

  @Override
  public OpSession open(Party p, long[] weightShare, long[] plainWeights) {
    FixedWeightLinear layer = switch (mode) {
      case owner -> owned(p, plainWeights);
      case fixed -> shared(p, weightShare);
      case beaver -> null;
    };
    return new OpSession() {
      private FixedWeightLinear.Prepared prepared;
      private PhaseCost linear = PhaseCost.NONE;

      @Override
      public void prepare() {
        prepared = layer == null ? null : layer.prepare(p);
      }

      @Override
      public long[] online(long[] x) {
        PhaseTimer t = PhaseTimer.start();
        long[] raw = layer != null ? layer.applyRaw(p, prepared, x) : beaverRaw(p, x, weightShare);
        linear = t.stop();
        return Truncation.truncate(p, raw);
      }

      @Override
      public PhaseCost linear() {
        return linear;
      }
    };
  }

  /** {@code v >> f} in place: the plaintext form of the truncation. */
  static long[] shift(long[] v, int f) {
    for (int i = 0; i < v.length; i++) {
      v[i] >>= f;
    }
    return v;
  }
}
