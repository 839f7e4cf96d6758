package org.polyshare.core.correlation;

import org.polyshare.core.kernel.BilinearMap;
import org.polyshare.core.kernel.Elementwise;

/**
 * One batch of correlated randomness, described by kind and shape only — never by data. A {@link
 * CorrelationPlan} is an ordered list of these; the dealer serves them in order.
 *
 * <p>Canonical encoding ({@link #encode}): a {@code long[]} whose first element is the kind code
 * and the rest are the fields in declaration order, a bilinear map as its own {@link
 * BilinearMap#encode} form. Kind codes: 1 triple, 2 squares, 3 truncation, 6 weight mask, 7
 * fixed-mask triple, 9 random OT, 10 exact truncation, 11 FSS ReLU, 12 fused truncate-and-power (4,
 * 5 and 8 were the separate matmul/conv kinds of wire version 1). It is what plans are hashed over
 * and what a networked source sends to the dealer.
 */
public sealed interface CorrelationRequest {

  /** Stable wire code of the kind (from the one table of codes, {@code RequestCodec}). */
  default int kind() {
    return RequestCodec.kind(this);
  }

  /** Canonical encoding: {@code [kind, fields...]}. */
  default long[] encode() {
    return RequestCodec.encode(this);
  }

  /**
   * A Beaver triple over a bilinear map: {@code A} like the left operand, {@code B} like the right,
   * {@code C = A ⊗ B}. Elementwise (n triples), matmul and conv2d alike.
   */
  record Triples(BilinearMap map) implements CorrelationRequest {
    public Triples {
      if (map == null) {
        throw new IllegalArgumentException("a triple request needs its bilinear map");
      }
    }

    /** {@code n} elementwise triples {@code (a, b, ab)}. */
    public Triples(int n) {
      this(new Elementwise(n));
    }
  }

  /** {@code n} square pairs {@code (r, r²)}. */
  record Squares(int n) implements CorrelationRequest {
    public Squares {
      positive(n, "square pair count");
    }
  }

  /** {@code n} truncation tuples {@code (r, r >>> f, msb r)} for a shift of {@code fracBits}. */
  record Truncation(int n, int fracBits) implements CorrelationRequest {
    public Truncation {
      positive(n, "truncation tuple count");
      truncationShift(fracBits);
    }
  }

  /**
   * {@code n} exact-truncation tuples for a shift of {@code fracBits}: the truncation tuple {@code
   * (r, r >>> f, msb r)} plus a DCF key pair per element for the borrow {@code [c mod 2^f < r mod
   * 2^f]} on f-bit inputs. The keys are not seed-compressible: both parties receive the correction
   * words.
   */
  record ExactTruncation(int n, int fracBits) implements CorrelationRequest {
    public ExactTruncation {
      positive(n, "exact truncation tuple count");
      truncationShift(fracBits);
    }
  }

  /**
   * {@code n} FSS ReLUs for inputs {@code |x| < 2^bits}, output {@code ⌊ReLU(x)/2^shift⌋}: shares
   * of a uniform input mask {@code r}, of the dependent values of {@link FssReluKeys} and bit-DCF
   * key pairs for the sign (on {@code bits} bits) and, when {@code shift > 0}, for the truncation's
   * borrow (on {@code shift} bits); see {@code org.polyshare.core.fss.FssRelu}.
   */
  record FssRelu(int n, int bits, int shift) implements CorrelationRequest {
    public FssRelu {
      positive(n, "FSS ReLU count");
      if (bits < 1 || bits > 62) {
        throw new IllegalArgumentException(
            "FSS ReLU input bound must be 2^bits with bits in [1, 62], got " + bits);
      }
      if (shift < 0 || shift > bits) {
        throw new IllegalArgumentException(
            "FSS ReLU shift must be in [0, " + bits + "] (the input bits), got " + shift);
      }
    }

    /** A plain ReLU (no truncation). */
    public FssRelu(int n, int bits) {
      this(n, bits, 0);
    }
  }

  /**
   * {@code n} fused truncate-and-power tuples (see {@code org.polyshare.core.protocol.FusedPower}):
   * a uniform {@code r} and the {@code 2·degree} values that depend on it, {@code u = r >>> f},
   * {@code m = msb r}, {@code u^j} and {@code m·((u − 2^(64−f))^j − u^j)} for {@code j =
   * 2..degree}; when {@code exact}, also a DCF key pair per element for the borrow {@code [c mod
   * 2^f < r mod 2^f]} with the width-{@code (2·degree − 1)} payload {@code (1, u, …, u^(d−1), g_1,
   * …, g_(d−1))}. Encoded {@code [12, n, f, degree, exact ? 1 : 0]}.
   */
  record FusedPower(int n, int fracBits, int degree, boolean exact) implements CorrelationRequest {
    public static final int MAX_DEGREE = 8;

    public FusedPower {
      positive(n, "fused power tuple count");
      truncationShift(fracBits);
      if (degree < 1 || degree > MAX_DEGREE) {
        throw new IllegalArgumentException(
            "fused power degree must be in [1, " + MAX_DEGREE + "], got " + degree);
      }
    }

    /**
     * Payload words of the borrow DCF (exact only): {@code β·v^l} needs {@code u^l} and {@code
     * g_l}, l < degree.
     */
    public int borrowWidth() {
      return 2 * degree - 1;
    }
  }

  /**
   * Shares of a fresh uniform weight mask {@code B} of {@code numel} elements, fixed for the rest
   * of the session under {@code maskId}. Costs the dealer two seeds and no correction.
   */
  record WeightMask(int maskId, int numel) implements CorrelationRequest {
    public WeightMask {
      validMaskId(maskId);
      positive(numel, "weight mask size");
    }
  }

  /**
   * Fresh {@code A} (like the map's left operand) and {@code C = A ⊗ B} for the session-fixed right
   * operand {@code B} registered as weight mask {@code maskId}.
   *
   * <p>{@code ownerHeld}: the layer's weights are party 0's in the clear, so {@code A} has only to
   * hide party 1's input share from party 0, which holds {@code X_0} itself. Party 0's share of
   * {@code A} is then zero (its expansion draws none) and {@code C = A_1 ⊗ B}; party 0's offline
   * step needs no product ({@code D_0 = C_0}).
   */
  record FixedMask(int maskId, BilinearMap map, boolean ownerHeld) implements CorrelationRequest {
    public FixedMask {
      validMaskId(maskId);
      if (map == null) {
        throw new IllegalArgumentException("a fixed-mask request needs its bilinear map");
      }
    }

    /** The request of a layer whose weights both parties hold as shares. */
    public FixedMask(int maskId, BilinearMap map) {
      this(maskId, map, false);
    }
  }

  /** {@code n} random OTs on 128-bit strings; party 0 is the sender, party 1 the receiver. */
  record RandomOt(int n) implements CorrelationRequest {
    public RandomOt {
      positive(n, "random OT count");
    }
  }

  /** Inverse of {@link #encode}; rejects unknown kinds and wrong lengths with a clear message. */
  static CorrelationRequest decode(long[] e) {
    return RequestCodec.decode(e);
  }

  private static void truncationShift(int fracBits) {
    if (fracBits < 1 || fracBits > 62) {
      throw new IllegalArgumentException("truncation shift must be in [1, 62], got " + fracBits);
    }
  }

  private static void validMaskId(int maskId) {
    if (maskId < 0) {
      throw new IllegalArgumentException("mask id must be >= 0, got " + maskId);
    }
  }

  private static void positive(int n, String what) {
    if (n < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, got " + n);
    }
  }
}
