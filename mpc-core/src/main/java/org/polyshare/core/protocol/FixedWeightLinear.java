package org.polyshare.core.protocol;

import org.polyshare.core.correlation.FixedMaskTriple;
import org.polyshare.core.correlation.WeightMaskShare;
import org.polyshare.core.kernel.BilinearMap;
import org.polyshare.core.kernel.BlockedProduct;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.MatMulShape;
import org.polyshare.core.kernel.WeightedProduct;
import org.polyshare.core.link.ChunkSink;

/**
 * A layer {@code X ⊗ W} (conv or dense: a {@link BilinearMap} with the weights on the right) whose
 * weights stay fixed for a model session, evaluated with a session-fixed weight mask so the online
 * cost is one ring convolution (or GEMM) per party.
 *
 * <p>Setup (once per session): the dealer gives shares of a uniform mask {@code B}; the parties
 * open {@code F = W − B}, which hides {@code W}. Party i keeps {@code W'_i}: {@code W'_0 = F +
 * B_0}, {@code W'_1 = B_1} (so {@code W'_0 + W'_1 = W}).
 *
 * <p>Offline (per inference, input-independent): a fresh {@code A} shaped like the input and {@code
 * C = A ⊗ B} from the dealer; party i precomputes {@code D_i = A_i ⊗ F + C_i}.
 *
 * <p>Online: open {@code E = X − A} (one round; uniform since A is fresh) and set {@code Z_i = E ⊗
 * W'_i + D_i}. Then {@code Z_0 + Z_1 = E ⊗ W + A ⊗ F + A ⊗ B = E ⊗ W + A ⊗ W = X ⊗ W} by
 * bilinearity. Each {@code A} must be used once: reusing it would open {@code X − X'}. The result
 * has {@code 2f} fractional bits ({@link #applyRaw}) unless truncated.
 *
 * <p><b>Owner-held weights</b> ({@link #owned}): when party 0 knows W in the clear (the model
 * owner), it alone does the online product. Setup is the same opening of {@code F}. The mask has
 * only to hide party 1's share from party 0, which holds {@code X_0} itself, so {@code A = A_1}:
 * party 0's share of it is zero ({@link
 * org.polyshare.core.correlation.CorrelationRequest.FixedMask#ownerHeld}), {@code C = A_1 ⊗ B}, and
 * offline {@code D_0 = C_0} needs no product while {@code D_1 = A_1 ⊗ F + C_1}. Online, party 1
 * sends {@code X_1 − A_1} to party 0 only (uniform to party 0 since {@code A_1} is fresh and
 * unknown to it), party 0 forms {@code E = X_0 + (X_1 − A_1) = X − A_1} and sets {@code Z_0 = E ⊗ W
 * + C_0}, party 1 sets {@code Z_1 = D_1}; then {@code Z_0 + Z_1 = E ⊗ W + A_1 ⊗ F + A_1 ⊗ B = (X −
 * A_1) ⊗ W + A_1 ⊗ W = X ⊗ W}. Party 0's view is {@code X_0}, the uniform {@code X_1 − A_1} and its
 * seed-drawn {@code C_0}; party 1's is {@code A_1}, {@code F} and {@code C_1 = A_1 ⊗ B − C_0},
 * uniform to it since {@code C_0} is. Party 1 does no online product at all and learns nothing
 * online; this is Delphi's layout with the dealer in place of homomorphic encryption.
 */
public final class FixedWeightLinear {
  private final int maskId;
  private final BilinearMap map;
  private final long[] opened;
  private final long[] weightShare;
  private final boolean ownerHeld;

  /** Party 0's product with its plaintext weights (owner-held layers), made once at setup. */
  private final WeightedProduct ownerProduct;

  /** One inference's input-independent material; single use. */
  public static final class Prepared {
    private final long[] a;
    private final long[] d;
    private boolean used;
    private MaskedInput streamed;

    private Prepared(long[] a, long[] d) {
      this.a = a;
      this.d = d;
    }
  }

  private FixedWeightLinear(
      int maskId, BilinearMap map, long[] opened, long[] weightShare, boolean ownerHeld) {
    this.maskId = maskId;
    this.map = map;
    this.opened = opened;
    this.weightShare = weightShare;
    this.ownerHeld = ownerHeld;
    this.ownerProduct =
        ownerHeld && weightShare != null ? WeightedProduct.of(map, weightShare) : null;
  }

  /**
   * Session setup for the layer {@code X ⊗ W}: {@code weights} is this party's share of W (the
   * map's right operand); the owner may pass W itself and the peer zeros. One round.
   */
  public static FixedWeightLinear shared(Party p, int maskId, long[] weights, BilinearMap map) {
    Beaver.checkLen(weights, map.rightNumel(), "weights of " + map);
    WeightMaskShare mask = p.correlations().weightMask(maskId, weights.length);
    long[] f = Sharing.open(p, Tags.FIXED_WEIGHT_SETUP, Arithmetic.sub(weights, mask.b()));
    long[] mine = p.isFirst() ? Arithmetic.add(f, mask.b()) : mask.b();
    return new FixedWeightLinear(maskId, map, f, mine, false);
  }

  /**
   * Session setup for a layer whose weights party 0 holds in the clear: party 0 passes W, party 1
   * passes {@code null} (it never holds weight data). Online, only party 0 computes (see the class
   * comment).
   */
  public static FixedWeightLinear owned(Party p, int maskId, long[] weights, BilinearMap map) {
    int numel = map.rightNumel();
    if (p.isFirst()) {
      if (weights == null) {
        throw new IllegalArgumentException(
            "party 0 must pass its plaintext weights to an owner-held layer");
      }
      Beaver.checkLen(weights, numel, "layer weights");
    } else if (weights != null) {
      throw new IllegalArgumentException(
          "party 1 must pass null weights to an owner-held layer (party 0 holds them)");
    }
    WeightMaskShare mask = p.correlations().weightMask(maskId, numel);
    long[] mine =
        p.isFirst() ? Arithmetic.sub(weights, mask.b()) : Arithmetic.sub(new long[numel], mask.b());
    long[] f = Sharing.open(p, Tags.FIXED_WEIGHT_SETUP, mine);
    return new FixedWeightLinear(maskId, map, f, p.isFirst() ? weights.clone() : null, true);
  }

  /** {@link #shared} for a conv layer ({@code weights [outC, inC, kH, kW]}). */
  public static FixedWeightLinear conv(Party p, int maskId, long[] weights, Conv2dShape shape) {
    return shared(p, maskId, weights, shape);
  }

  /** {@link #shared} for a dense layer {@code X[m,k] · W[k,n]}. */
  public static FixedWeightLinear matmul(Party p, int maskId, long[] weights, MatMulShape shape) {
    return shared(p, maskId, weights, shape);
  }

  /** {@link #owned} for a conv layer. */
  public static FixedWeightLinear ownedConv(
      Party p, int maskId, long[] weights, Conv2dShape shape) {
    return owned(p, maskId, weights, shape);
  }

  /** {@link #owned} for a dense layer. */
  public static FixedWeightLinear ownedMatMul(
      Party p, int maskId, long[] weights, MatMulShape shape) {
    return owned(p, maskId, weights, shape);
  }

  /**
   * The same layer (same weights, mask and opened {@code F}) for another batch size: the mask is on
   * the weights only, so one session setup serves any batch. For a dense layer the batch is {@code
   * m}.
   */
  public FixedWeightLinear withBatch(int batch) {
    return new FixedWeightLinear(maskId, map.withBatch(batch), opened, weightShare, ownerHeld);
  }

  /** True when party 0 holds the weights in the clear and does the online product alone. */
  public boolean ownerHeld() {
    return ownerHeld;
  }

  public int maskId() {
    return maskId;
  }

  public BilinearMap map() {
    return map;
  }

  /** Elements of the layer input. */
  public int inputNumel() {
    return map.leftNumel();
  }

  public int outputNumel() {
    return map.outputNumel();
  }

  /**
   * Offline: fetch a fresh fixed-mask triple and precompute {@code D_i = A_i ⊗ F + C_i}; in the
   * owner-held layout party 0's {@code A_0} is zero, so its {@code D_0 = C_0} costs no product.
   */
  public Prepared prepare(Party p) {
    FixedMaskTriple t = p.correlations().fixedMask(maskId, map, ownerHeld);
    long[] d = t.c(); // ours to overwrite (CorrelationSource#next)
    if (!(ownerHeld && p.isFirst())) {
      map.applyAdd(t.a(), opened, d);
    }
    return new Prepared(t.a(), d);
  }

  /**
   * This party's share of the product when it is fixed offline: party 1's {@code Z_1 = D_1 = A_1 ⊗
   * F + C_1} in the owner-held layout, a function of dealer material and the opened F only (no
   * input). Null for party 0 and for a shared layer, whose shares depend on the input. What {@link
   * #applyRaw} will return for party 1, so a truncation of the product can send party 1's half of
   * its opening offline ({@link Truncation#openEarly}).
   */
  public long[] knownShare(Party p, Prepared prep) {
    return ownerHeld && !p.isFirst() ? prep.d.clone() : null;
  }

  /**
   * Party 1 in the owner-held layout, before this layer's online step: starts its one message, the
   * masked input {@code X_1 − A_1}, to be fed range by range while {@code X_1} is still being made
   * (the producing layer's opening is arriving). {@link #applyRaw} then sends nothing and returns
   * the known share. The bytes and the message are those {@link #applyRaw} would send; the message
   * opens at the first range, so it counts where it leaves.
   */
  public MaskedInput streamInput(Party p, Prepared prep) {
    if (!ownerHeld || p.isFirst()) {
      throw new IllegalStateException("only party 1 of an owner-held layer streams its input");
    }
    if (prep.used || prep.streamed != null) {
      throw new IllegalStateException("this layer's masked input already left");
    }
    prep.streamed = new MaskedInput(p, prep.a);
    return prep.streamed;
  }

  /**
   * Party 1's masked input {@code E_1 = X_1 − A_1} leaving as {@code X_1} is made: each range of
   * {@code X_1} becomes pieces (at most the link's chunk) of one chunked message under {@link
   * Tags#FIXED_WEIGHT_ONLINE}, in element order, as party 0's {@link BlockedProduct} consumes it.
   */
  public static final class MaskedInput implements RangeListener {
    private final Party p;
    private final long[] a;
    private final long[] piece;
    private ChunkSink sink;
    private long[] source;
    private int sent;

    private MaskedInput(Party p, long[] a) {
      this.p = p;
      this.a = a;
      this.piece = new long[Math.min(a.length, Math.max(1, p.link().chunkLongs()))];
    }

    @Override
    public void ready(long[] x, int from, int to) {
      if (source == null) {
        source = x;
        sink = p.link().openChunked(Tags.FIXED_WEIGHT_ONLINE, a.length);
      }
      if (x != source || from != sent || to > a.length || x.length != a.length) {
        throw new IllegalStateException(
            "masked input fed out of order: elements ["
                + from
                + ", "
                + to
                + ") of a "
                + x.length
                + "-element input after "
                + sent
                + " of "
                + a.length);
      }
      if (a.length == 0) {
        sink.put(piece, 0, 0);
        return;
      }
      for (int i = from; i < to; ) {
        int len = Math.min(piece.length, to - i);
        for (int k = 0; k < len; k++) {
          piece[k] = x[i + k] - a[i + k];
        }
        sink.put(piece, 0, len);
        i += len;
      }
      sent = to;
    }

    /** The input it was fed, once all of it left. */
    private long[] complete() {
      if (source == null || sent != a.length) {
        throw new IllegalStateException(
            "the streamed masked input is incomplete: " + sent + " of " + a.length + " elements");
      }
      return source;
    }
  }

  /** Online: shares of {@code X ⊗ W} with {@code 2f} fractional bits. One round, one product. */
  public long[] applyRaw(Party p, Prepared prep, long[] x) {
    Beaver.checkLen(x, inputNumel(), "layer input");
    if (prep.used) {
      throw new IllegalStateException(
          "prepared fixed-weight material is single-use; call prepare() again");
    }
    prep.used = true;
    if (!ownerHeld) {
      long[] e = Sharing.open(p, Tags.FIXED_WEIGHT_ONLINE, Arithmetic.sub(x, prep.a));
      long[] z = prep.d; // single-use (and never handed out): the product accumulates into it
      map.applyAdd(e, weightShare, z);
      return z;
    }
    if (!p.isFirst()) {
      if (prep.streamed == null) {
        p.link().sendChunked(Tags.FIXED_WEIGHT_ONLINE, Arithmetic.sub(x, prep.a));
      } else if (prep.streamed.complete() != x) {
        throw new IllegalStateException("the streamed masked input was made from another tensor");
      }
      return prep.d.clone();
    }
    return ownerOnline(p, prep, x);
  }

  /**
   * Party 0's online product, overlapped with the wire: party 1's {@code X_1 − A_1} arrives in
   * pieces; each completes a prefix of {@code E = X_0 + (X_1 − A_1)}, and the product is linear in
   * E, so {@link BlockedProduct} applies {@code E ⊗ W} block by block (conv: runs of input
   * channels; matmul: rows or k-blocks) as soon as a block's elements are in — the same sum as one
   * product, bit for bit. E is formed in the one pass that reads each piece, over the single-use
   * (zero) mask share {@code A_0} itself, and the product accumulates into the single-use {@code
   * D_0} itself: no pass over the input or the output beyond the product's own, and no array of its
   * own.
   */
  private long[] ownerOnline(Party p, Prepared prep, long[] x) {
    long[] e = prep.a; // A_0 = 0, spent here: E = X_0 + (X_1 − A_1) overwrites it in place
    long[] z = prep.d; // single-use, and party 0's D_0 is never handed out (knownShare: null)
    BlockedProduct product = ownerProduct.blocked(z, p.link().chunkLongs());
    p.link()
        .receiveLongs(
            Tags.FIXED_WEIGHT_ONLINE,
            e.length,
            (piece, at) -> {
              for (int i = 0; i < piece.length; i++) {
                int k = at + i;
                e[k] = x[k] + piece[i];
              }
              product.advance(e, at + piece.length);
            });
    product.finish(e);
    return z;
  }

  /** Online, truncated back to {@code f} fractional bits. */
  public long[] apply(Party p, Prepared prep, long[] x) {
    return Truncation.truncate(p, applyRaw(p, prep, x));
  }

  /** Offline and online together (convenience when phases need not be separated). */
  public long[] apply(Party p, long[] x) {
    return apply(p, prepare(p), x);
  }
}
