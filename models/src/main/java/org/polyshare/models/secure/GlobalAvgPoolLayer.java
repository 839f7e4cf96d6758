package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.protocol.Activations;
import org.polyshare.core.protocol.Arithmetic;
import org.polyshare.core.protocol.Party;

/** Global average pooling {@code [C, H, W] → [C]}: local plane sums, public {@code 1/(H·W)}. */
final class GlobalAvgPoolLayer extends SecureLayer {
  private final int[] in;

  GlobalAvgPoolLayer(Program.Step step, Lowering low) {
    super(step, low);
    this.in = step.inShape();
  }

  @Override
  List<CorrelationRequest> linearRequests() {
    return truncation(n(), Arithmetic.mulPublicShift(f, 1.0 / (in[1] * in[2])));
  }

  @Override
  long[] online(Party q, long[][] x) {
    return Activations.globalAvgPool(q, x[0], batch, in[0], in[1], in[2]);
  }

  @Override
  long[] ring(long[][] x) {
    int plane = in[1] * in[2];
    long[] sums = new long[batch * in[0]];
    for (int i = 0; i < sums.length; i++) {
      long acc = 0;
      for (int j = 0; j < plane; j++) {
        acc += x[0][i * plane + j];
      }
      sums[i] = acc;
    }
    return RingOps.scaleShift(sums, 1.0 / plane, f);
  }
}
