package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.gc.GcOffline;
import org.polyshare.core.gc.GcRelu;
import org.polyshare.core.protocol.FixedWeightLinear;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Truncation;

/**
 * A Conv2d or Linear ({@link OwnedProduct}), then either a dealer truncation by f or, when the ReLU
 * reading it is fused, the garbled ReLU with shift f ({@link GcRelu}): the circuit takes the 2f-bit
 * product and truncates by wiring, exactly (floor). In the FSS arm the fused ReLU is {@link
 * FssReluStep} with shift f: the ReLU on the 2f-scale product, then its exact truncation (two
 * online rounds, the same floor).
 */
final class LinearLayer extends SecureLayer {
  private final OwnedProduct product;
  private final boolean fusedRelu;
  private final boolean fss;
  private final List<CorrelationRequest> linearRequests;
  private final List<CorrelationRequest> activationRequests;

  LinearLayer(Program.Step step, Lowering low, OwnedProduct product) {
    this(step, low, product, ReluMode.GC);
  }

  LinearLayer(Program.Step step, Lowering low, OwnedProduct product, ReluMode relu) {
    super(step, low);
    this.product = product;
    this.fusedRelu = step.fusedRelu() != null;
    this.fss = fusedRelu && relu == ReluMode.FSS;
    if (fusedRelu) {
      linearRequests = List.of(product.inferenceRequest());
      activationRequests =
          fss ? FssReluStep.requests(n(), f) : List.of(new CorrelationRequest.RandomOt(64 * n()));
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
    return () ->
        new Inference() {
          private FixedWeightLinear.Prepared prepared;
          private GcOffline relu;

          @Override
          void offlineLinear(Party q) {
            prepared = fw.prepare(q);
          }

          @Override
          void offlineActivation(Party q) {
            if (fusedRelu && !fss) {
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
            if (!fusedRelu) {
              return z;
            }
            return fss ? FssReluStep.online(q, z, f) : GcRelu.online(q, relu, z);
          }
        };
  }

  @Override
  long[] ring(long[][] in) {
    long[] z = product.ring(in[0]);
    return fusedRelu ? RingOps.reluShift(z, f) : RingOps.shift(z, f);
  }
}
