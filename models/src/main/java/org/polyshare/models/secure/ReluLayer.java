package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.gc.GcOffline;
import org.polyshare.core.gc.GcRelu;
import org.polyshare.core.protocol.Party;

/**
 * A ReLU not fused into a product (e.g. after a residual Add): the garbled ReLU with shift 0, or in
 * the FSS arm {@link FssReluStep} with shift 0 on its f-bit input (two online rounds). All of its
 * cost is activation.
 */
final class ReluLayer extends ActivationLayer {
  private final ReluMode relu;

  ReluLayer(Program.Step step, Lowering low) {
    this(step, low, ReluMode.GC);
  }

  ReluLayer(Program.Step step, Lowering low, ReluMode relu) {
    super(step, low, requests(relu, low.batch() * step.outNumel(), low.f()));
    this.relu = relu;
    if (carryIn != 0) {
      throw new IllegalStateException("a ReLU reads values at f bits, not a carried power");
    }
  }

  private static List<CorrelationRequest> requests(ReluMode relu, int n, int f) {
    return relu == ReluMode.FSS
        ? FssReluStep.requests(n, f, 0)
        : List.of(new CorrelationRequest.RandomOt(64 * n));
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
            if (relu == ReluMode.GC) {
              gc = GcRelu.prepare(q, n(), 0);
            } // FSS: the keys are drawn online from the prefetched store; nothing to precompute
          }

          @Override
          long[] onlineLinear(Party q, long[][] in) {
            return in[0];
          }

          @Override
          long[] onlineActivation(Party q, long[] x) {
            return relu == ReluMode.FSS ? FssReluStep.online(q, x, f, 0) : GcRelu.online(q, gc, x);
          }
        };
  }

  @Override
  long[] ring(long[][] in) {
    return RingOps.reluShift(in[0], 0);
  }
}
