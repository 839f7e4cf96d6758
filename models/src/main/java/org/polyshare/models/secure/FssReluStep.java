package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.fss.FssRelu;
import org.polyshare.core.protocol.Party;

/**
 * The FSS arm of a ReLU ({@link ReluMode#FSS}), shared by {@link ReluLayer}, the fused ReLU of
 * {@link LinearLayer} and {@link MaxPoolLayer}'s comparisons: {@link FssRelu} with shift f on the
 * 2f-scale product (the exact truncation folded into the ReLU) or shift 0 on a plain ReLU; two
 * online rounds either way (the masked input, then the masked sign and borrow bits). Its DCF width
 * is {@code k = }{@link FssReluWidth#of}{@code (scale)} for the input's fractional scale.
 *
 * <p><b>Correct for every x in range.</b> For {@code x ∈ [−2^k, 2^k)} the shares reconstruct to
 * {@code ⌊ReLU(x)/2^shift⌋} exactly, for every dealer mask ({@link FssRelu}: with {@code y = x +
 * 2^k ∈ [0, 2^(k+1))} the sign is bit k of y, recovered from the opened {@code c = y + r} and the
 * borrow of the low k bits, whatever the wrap of {@code y + r}), so the secure output equals the
 * int64 reference {@code z > 0 ? z >> shift : 0} bit for bit. Party 0's guard ({@link
 * FssReluWidth#check}) holds the calibrated inputs a margin of bits below 2^k, exactly as it holds
 * every product a margin below the truncation's 2^62.
 *
 * <p><b>Out of range.</b> The sign is read from bit k of {@code x + 2^k}: every x in {@code [2^k,
 * 2^(k+1))} comes out 0 and a more negative x can come out as ⌊x/2^shift⌋ (below {@code −2^k} the
 * shifted y is negative and the folded truncation's wrap rule fails as well). Silent garbage that
 * depends on x, as an overflowing product gives; the guard is what refuses a model whose inputs
 * could get there, naming the layer.
 */
final class FssReluStep {
  private FssReluStep() {}

  /**
   * One inference's requests for {@code n} ReLUs of inputs at {@code scale} fractional bits,
   * followed by a shift of {@code shift} bits.
   */
  static List<CorrelationRequest> requests(int n, int scale, int shift) {
    return FssRelu.requests(n, FssReluWidth.of(scale), shift);
  }

  /** Shares of {@code ⌊ReLU(x)/2^shift⌋} for x at {@code scale} fractional bits, exact. */
  static long[] online(Party q, long[] x, int scale, int shift) {
    return FssRelu.relu(q, x, FssReluWidth.of(scale), shift);
  }
}
