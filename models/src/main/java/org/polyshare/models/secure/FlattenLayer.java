package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.protocol.Party;

/** Flatten: the batch layout is already row-major, so nothing moves. */
final class FlattenLayer extends SecureLayer {
  FlattenLayer(Program.Step step, Lowering low) {
    super(step, low);
  }

  @Override
  List<CorrelationRequest> linearRequests() {
    return List.of();
  }

  @Override
  long[] online(Party q, long[][] in) {
    return in[0];
  }

  @Override
  long[] ring(long[][] in) {
    return in[0];
  }
}
