package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.protocol.Beaver;
import org.polyshare.core.protocol.Party;
import org.polyshare.models.graph.BatchNorm;

/**
 * A BatchNorm that did not fold into a preceding conv: {@code s·x + t} per channel, a Beaver
 * product with party 0's scale (party 1 holds a zero share of it), then party 0 adds the shift.
 */
final class BatchNormLayer extends SecureLayer {
  private final Encoded scale;
  private final Encoded shift;

  BatchNormLayer(Program.Step step, Lowering low) {
    super(step, low);
    BatchNorm bn = (BatchNorm) step.layer();
    this.scale = perChannel(bn::scale);
    this.shift = perChannel(bn::shift);
    requests(
        List.of(),
        Lists.concat(List.of(new CorrelationRequest.Triples(n())), truncation(n(), f)),
        List.of(),
        false);
  }

  @Override
  long[] online(Party q, long[][] in) {
    boolean owner = q.id() == 0;
    long[] z = Beaver.mul(q, in[0], owner ? scale.get() : new long[n()]);
    return owner ? RingOps.addInPlace(z, shift.get()) : z;
  }

  @Override
  long[] ring(long[][] in) {
    return RingOps.addInPlace(RingOps.mulShift(in[0], scale.get(), f), shift.get());
  }
}
