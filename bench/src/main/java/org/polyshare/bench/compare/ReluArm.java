package org.polyshare.bench.compare;

import java.util.ArrayList;
import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.fss.FssRelu;
import org.polyshare.models.secure.FssReluWidth;
import org.polyshare.models.secure.ReluMode;

/**
 * One ReLU arm of the comparison: how ReLU was evaluated, its measured result, and the dealer's
 * bytes per ReLU (both parties) for that arm's per-ReLU correlations: 64 random OTs for a garbled
 * ReLU (its tables travel between the parties, in the offline bytes), the bit-DCF key pairs (sign,
 * and the borrow of the folded truncation by f) with their mask shares for an FSS ReLU.
 */
public record ReluArm(ReluMode relu, VariantResult result, double dealerBytesPerRelu) {
  /** The column label. */
  public String label() {
    return relu == ReluMode.GC ? "GC ReLU" : "FSS ReLU";
  }

  /** The short label of a ratio over PKN. */
  public String ratioLabel() {
    return relu == ReluMode.GC ? "GC / PKN" : "FSS / PKN";
  }

  /** The JSON key of this arm's ratios over PKN (the GC arm keeps the original key). */
  public String ratioKey() {
    return relu == ReluMode.GC ? "ratios_relu_over_pkn" : "ratios_relu_fss_over_pkn";
  }

  /**
   * The arms' results, {@code results[i]} of {@code arms.get(i)}; the dealer bytes per ReLU at
   * {@code fracBits} only with more than one arm (the two-way, GC-only report keeps its shape).
   */
  static List<ReluArm> of(List<ReluMode> arms, VariantResult[] results, int fracBits) {
    List<ReluArm> out = new ArrayList<>();
    for (int i = 0; i < arms.size(); i++) {
      ReluMode m = arms.get(i);
      out.add(new ReluArm(m, results[i], arms.size() > 1 ? dealerBytesPerRelu(m, fracBits) : -1));
    }
    return out;
  }

  /** The dealer's bytes to both parties per ReLU of {@code mode}, from a fresh dealer. */
  public static double dealerBytesPerRelu(ReluMode mode, int fracBits) {
    int n = 4096; // large enough that the per-message header is a small part
    List<CorrelationRequest> requests =
        mode == ReluMode.GC
            ? List.of(new CorrelationRequest.RandomOt(64 * n))
            : FssRelu.requests(n, FssReluWidth.of(2 * fracBits), fracBits); // a fused ReLU
    InProcessDealer dealer = new InProcessDealer();
    for (CorrelationRequest r : requests) {
      dealer.source(0).next(r);
      dealer.source(1).next(r);
    }
    return (double) (dealer.trafficTo(0).bytes() + dealer.trafficTo(1).bytes()) / n;
  }
}
