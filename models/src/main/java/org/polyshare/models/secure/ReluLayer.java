package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.gc.GcOffline;
import org.polyshare.core.gc.GcRelu;
import org.polyshare.core.protocol.Party;

/**
 * A ReLU not fused into a product (e.g. after a residual Add): the garbled ReLU with shift 0, or in
 * the FSS arm {@link FssReluStep} with shift 0 (one online round). All of its cost is activation.
 */
final class ReluLayer extends SecureLayer {
  private final ReluMode relu;
  private final List<CorrelationRequest> requests;

  ReluLayer(Program.Step step, Lowering low) {
    this(step, low, ReluMode.GC);
  }

  ReluLayer(Program.Step step, Lowering low, ReluMode relu) {
    super(step, low);
    this.relu = relu;
    this.requests =
        relu == ReluMode.FSS
            ? FssReluStep.requests(n(), 0)
            : List.of(new CorrelationRequest.RandomOt(64 * n()));
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
    return () ->
        new Inference() {
          private GcOffline gc;

          @Override
          void offlineActivation(Party q) {
            if (fss()) {
              return; // the keys are drawn online from the prefetched store; nothing to precompute
            }
            gc = GcRelu.prepare(q, n(), 0);
          }

          @Override
          long[] onlineLinear(Party q, long[][] in) {
            return in[0];
          }

          @Override
          long[] onlineActivation(Party q, long[] x) {
            return fss() ? FssReluStep.online(q, x, 0) : GcRelu.online(q, gc, x);
          }
        };
  }

  private boolean fss() {
    return relu == ReluMode.FSS;
  }

  @Override
  long[] ring(long[][] in) {
    return RingOps.reluShift(in[0], 0);
  }
}
