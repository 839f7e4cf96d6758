package org.polyshare.bench.ops;

import org.polyshare.bench.harness.PhaseCost;
import org.polyshare.bench.harness.PhaseTimer;
import org.polyshare.core.kernel.BilinearMap;
import org.polyshare.core.protocol.Beaver;
import org.polyshare.core.protocol.FixedWeightLinear;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Truncation;

/**
 * A ring product {@code X ⊗ W} of party 1's input and party 0's secret weights over a bilinear map
 * (matmul or conv2d), followed by one truncation. The product alone is timed as the op's linear
 * part. Subclasses give the map, its description and the double-precision reference.
 */
abstract class LinearOp implements OpCase {
  final int f;
  private final LinearMode mode;
  private final BilinearMap map;
  private final String shape;

  LinearOp(LinearMode mode, int fracBits, BilinearMap map, String shape) {
    this.mode = mode;
    this.f = fracBits;
    this.map = map;
    this.shape = shape;
  }

  @Override
  public String shape() {
    return shape;
  }

  @Override
  public int inputLength() {
    return map.leftNumel();
  }

  @Override
  public int weightLength() {
    return map.rightNumel();
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
    FixedWeightLinear layer =
        switch (mode) {
          case owner -> FixedWeightLinear.owned(p, 0, plainWeights, map);
          case fixed -> FixedWeightLinear.shared(p, 0, weightShare, map);
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
        long[] raw =
            layer != null
                ? layer.applyRaw(p, prepared, x)
                : Beaver.productRaw(p, map, x, weightShare);
        linear = t.stop();
        return Truncation.truncate(p, raw);
      }

      @Override
      public PhaseCost linear() {
        return linear;
      }
    };
  }

  /** {@code (X ⊗ W) >> f}: the product in the ring, then the plaintext form of the truncation. */
  @Override
  public long[] plaintext(long[] x, long[] w) {
    long[] v = map.apply(x, w);
    for (int i = 0; i < v.length; i++) {
      v[i] >>= f;
    }
    return v;
  }
}
