package org.polyshare.core.correlation;

import org.polyshare.core.kernel.BilinearMap;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.Elementwise;
import org.polyshare.core.kernel.MatMulShape;

/**
 * Where one party gets its shares of correlated randomness. Both parties must issue the same
 * sequence of requests (the session's plan); each call returns this party's share of the next
 * batch.
 *
 * <p>Implementations: {@link InProcessDealer}'s sources (dealer and both parties in one JVM) and
 * the networked source, which ships each {@link CorrelationRequest} to the dealer process and
 * expands the {@link DealerMessage} it gets back with {@link CorrelationExpander}. An
 * implementation only has to provide {@link #partyId} and {@link #next}; the typed methods delegate
 * to it.
 */
public interface CorrelationSource {

  /** 0 (model owner) or 1 (client). */
  int partyId();

  /**
   * This party's share of the next batch, which must be {@code request}. Its arrays are fresh and
   * belong to the caller, which may overwrite them (a fixed-weight layer accumulates into {@code
   * C_i} and forms the opened {@code E} over {@code A_0}); a source must not hand them out again.
   */
  Correlation next(CorrelationRequest request);

  /** Shares of a Beaver triple {@code (A, B, C = A ⊗ B)} over {@code map}. */
  default BeaverTriples triple(BilinearMap map) {
    return cast(next(new CorrelationRequest.Triples(map)), BeaverTriples.class);
  }

  /** {@code n} elementwise triples. */
  default BeaverTriples triples(int n) {
    return triple(new Elementwise(n));
  }

  default SquarePairs squares(int n) {
    return cast(next(new CorrelationRequest.Squares(n)), SquarePairs.class);
  }

  default TruncationTuples truncation(int n, int fracBits) {
    return cast(next(new CorrelationRequest.Truncation(n, fracBits)), TruncationTuples.class);
  }

  /** {@code n} exact-truncation tuples: the truncation tuple plus DCF keys for the borrow. */
  default ExactTruncationTuples exactTruncation(int n, int fracBits) {
    return cast(
        next(new CorrelationRequest.ExactTruncation(n, fracBits)), ExactTruncationTuples.class);
  }

  /** Material for {@code n} FSS ReLUs on inputs below {@code 2^bits} in magnitude. */
  default FssReluKeys fssRelu(int n, int bits) {
    return fssRelu(n, bits, 0);
  }

  /** As {@link #fssRelu(int, int)} with the truncation by {@code shift} folded in. */
  default FssReluKeys fssRelu(int n, int bits, int shift) {
    return cast(next(new CorrelationRequest.FssRelu(n, bits, shift)), FssReluKeys.class);
  }

  default BeaverTriples matmulTriple(MatMulShape shape) {
    return triple(shape);
  }

  default BeaverTriples convTriple(Conv2dShape shape) {
    return triple(shape);
  }

  /**
   * Share of a session-fixed weight mask of {@code numel} elements, registered as {@code maskId}.
   */
  default WeightMaskShare weightMask(int maskId, int numel) {
    return cast(next(new CorrelationRequest.WeightMask(maskId, numel)), WeightMaskShare.class);
  }

  /** Fresh {@code (A, C = A ⊗ B_maskId)} for one inference through a fixed-weight layer. */
  default FixedMaskTriple fixedMask(int maskId, BilinearMap map) {
    return fixedMask(maskId, map, false);
  }

  /**
   * As {@link #fixedMask(int, BilinearMap)}; for an {@code ownerHeld} layer party 0's share of
   * {@code A} is zero ({@link CorrelationRequest.FixedMask}).
   */
  default FixedMaskTriple fixedMask(int maskId, BilinearMap map, boolean ownerHeld) {
    return cast(
        next(new CorrelationRequest.FixedMask(maskId, map, ownerHeld)), FixedMaskTriple.class);
  }

  default FixedMaskTriple convFixedMask(int maskId, Conv2dShape shape) {
    return fixedMask(maskId, shape);
  }

  default FixedMaskTriple matmulFixedMask(int maskId, MatMulShape shape) {
    return fixedMask(maskId, shape);
  }

  /** {@code n} random OTs: party 0 gets {@code m0, m1}, party 1 {@code choices, chosen}. */
  default RandomOts randomOts(int n) {
    return cast(next(new CorrelationRequest.RandomOt(n)), RandomOts.class);
  }

  private static <T extends Correlation> T cast(Correlation c, Class<T> type) {
    if (!type.isInstance(c)) {
      throw new IllegalStateException(
          "correlation source returned "
              + c.getClass().getSimpleName()
              + " where "
              + type.getSimpleName()
              + " was requested");
    }
    return type.cast(c);
  }
}
