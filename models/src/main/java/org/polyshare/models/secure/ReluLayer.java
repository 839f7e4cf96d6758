package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.gc.GcOffline;
import org.polyshare.core.gc.GcRelu;
import org.polyshare.core.protocol.Party;

/**
 * A ReLU not fused into a product (e.g. after a residual Add): the garbled ReLU with shift 0.
 * All of its cost is activation.
 */
final class ReluLayer extends SecureLayer {
  private final List<CorrelationRequest> requests;

  ReluLayer(Program.Step step, Lowering low) {
    super(step, low);
    this.requests = List.of(new CorrelationRequest.RandomOt(64 * n()));
  }

  @Override
  List<CorrelationRequest> linearRequests() {
    return List.of();
  }

  @Override
  List<CorrelationRequest> activationRequests() {
    return requests;
  }

  @Override
  boolean hasActivation() {
    return true;
  }

  @Override
  long reluCount() {
    return n();
  }

  @Override
  Session open(Party party) {
    return () -> new Inference() {
      private GcOffline relu;

      @Override
      void offlineActivation(Party q) {
        relu = GcRelu.prepare(q, n(), 0);
      }

      @Override
      long[] onlineLinear(Party q, long[][] in) {
        return in[0];
      }

      @Override
      long[] onlineActivation(Party q, long[] x) {
        return GcRelu.online(q, relu, x);
      }
    };
  }

  @Override
  long[] ring(long[][] in) {
    return RingOps.reluShift(in[0], 0);
  }
}
