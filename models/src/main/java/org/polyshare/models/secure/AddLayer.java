package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.protocol.Arithmetic;
import org.polyshare.core.protocol.Party;

/** A residual Add: share-wise, local. */
final class AddLayer extends SecureLayer {
  AddLayer(Program.Step step, Lowering low) {
    super(step, low);
  }

  @Override
  List<CorrelationRequest> linearRequests() {
    return List.of();
  }

  @Override
  long[] online(Party q, long[][] in) {
    return Arithmetic.add(in[0], in[1]);
  }

  @Override
  long[] ring(long[][] in) {
    return Arithmetic.add(in[0], in[1]);
  }
}
