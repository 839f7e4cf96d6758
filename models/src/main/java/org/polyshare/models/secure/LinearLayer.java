package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.gc.GcOffline;
import org.polyshare.core.gc.GcRelu;
import org.polyshare.core.protocol.FixedWeightLinear;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Truncation;

/**
 * A Conv2d or Linear ({@link OwnedProduct}), then either a dealer truncation by f or, when the
 * ReLU reading it is fused, the garbled ReLU with shift f ({@link GcRelu}): the circuit takes the
 * 2f-bit product and truncates by wiring, exactly (floor).
 */
final class LinearLayer extends SecureLayer {
  private final OwnedProduct product;
  private final boolean fusedRelu;
  private final List<CorrelationRequest> linearRequests;
  private final List<CorrelationRequest> activationRequests;

  LinearLayer(Program.Step step, Lowering low, OwnedProduct product) {
    super(step, low);
    this.product = product;
    this.fusedRelu = step.fusedRelu() != null;
    if (fusedRelu) {
      linearRequests = List.of(product.inferenceRequest());
      activationRequests = List.of(new CorrelationRequest.RandomOt(64 * n()));
    } else {
      linearRequests = Lists.concat(List.of(product.inferenceRequest()), truncation(n(), f));
      activationRequests = List.of();
    }
  }

  @Override
  List<CorrelationRequest> sessionRequests() {
    return List.of(product.sessionRequest());
  }

  @Override
  List<CorrelationRequest> linearRequests() {
    return linearRequests;
  }

  @Override
  List<CorrelationRequest> activationRequests() {
    return activationRequests;
  }

  @Override
  boolean hasActivation() {
    return fusedRelu;
  }

  @Override
  long reluCount() {
    return fusedRelu ? n() : 0;
  }

  @Override
  Session open(Party party) {
    FixedWeightLinear fw = product.open(party);
    return () -> new Inference() {
      private FixedWeightLinear.Prepared prepared;
      private GcOffline relu;

      @Override
      void offlineLinear(Party q) {
        prepared = fw.prepare(q);
      }

      @Override
      void offlineActivation(Party q) {
        if (fusedRelu) {
          relu = GcRelu.prepare(q, n(), f);
        }
      }

      @Override
      long[] onlineLinear(Party q, long[][] in) {
        long[] z = product.apply(q, fw, prepared, in[0]);
        return fusedRelu ? z : Truncation.truncate(q, z);
      }

      @Override
      long[] onlineActivation(Party q, long[] z) {
        return fusedRelu ? GcRelu.online(q, relu, z) : z;
      }
    };
  }

  @Override
  long[] ring(long[][] in) {
    long[] z = product.ring(in[0]);
    return fusedRelu ? RingOps.reluShift(z, f) : RingOps.shift(z, f);
  }
}
