package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.protocol.Beaver;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.PowerChain;
import org.polyshare.models.graph.PolyAct;

/**
 * A polynomial activation {@code outScale·(scale·x + shift)^d} after any layer, parameters per
 * tensor or per channel, all party 0's. The base is {@code x + shift} (party 0 adds the shift) when
 * the scale is 1, else a Beaver product with party 0's scale (party 1 holds a zero share),
 * truncated, plus the shift; the power is the {@link PowerChain}; a final Beaver product with party
 * 0's {@code outScale} unless it is 1. Whether {@code scale} and {@code outScale} are 1 is the
 * layer's form ({@code (x + c)^d} or the general one) and decides the plan, so both parties must
 * see the same form; their values and {@code shift} stay party 0's secret. The linear part is the
 * base; the activation part the power and the output scale.
 */
final class PolyActLayer extends SecureLayer {
  private final PowerChain chain;

  /** Per element; null when the factor is 1. */
  private final Encoded scale;

  private final Encoded shift;
  private final Encoded outScale;

  PolyActLayer(Program.Step step, Lowering low) {
    super(step, low);
    PolyAct p = (PolyAct) step.layer();
    this.chain = PowerChain.of(p.degree());
    this.scale = allOnes(p.scale()) ? null : perChannel(p::scale);
    this.shift = perChannel(p::shift);
    this.outScale = allOnes(p.outScale()) ? null : perChannel(p::outScale);
    requests(
        List.of(),
        scale == null ? List.of() : product(),
        Lists.concat(chain.requests(n(), f, mode), outScale == null ? List.of() : product()),
        true);
  }

  private static boolean allOnes(double[] v) {
    for (double x : v) {
      if (x != 1) {
        return false;
      }
    }
    return true;
  }

  /** One Beaver product with a party-0 factor, truncated. */
  private List<CorrelationRequest> product() {
    return Lists.concat(List.of(new CorrelationRequest.Triples(n())), truncation(n(), f));
  }

  @Override
  Session open(Party party) {
    return () ->
        new Inference() {
          @Override
          long[] onlineLinear(Party q, long[][] in) {
            boolean owner = q.id() == 0;
            long[] base =
                scale == null
                    ? in[0].clone()
                    : Beaver.mul(q, in[0], owner ? scale.get() : new long[n()]);
            return owner ? RingOps.addInPlace(base, shift.get()) : base;
          }

          @Override
          long[] onlineActivation(Party q, long[] base) {
            long[] y = chain.secure(q, base);
            return outScale == null
                ? y
                : Beaver.mul(q, y, q.id() == 0 ? outScale.get() : new long[n()]);
          }
        };
  }

  @Override
  long[] ring(long[][] in) {
    long[] base = scale == null ? in[0].clone() : RingOps.mulShift(in[0], scale.get(), f);
    long[] y = chain.ring(RingOps.addInPlace(base, shift.get()), f);
    return outScale == null ? y : RingOps.mulShift(y, outScale.get(), f);
  }
}
