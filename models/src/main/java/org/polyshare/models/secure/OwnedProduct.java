package org.polyshare.models.secure;

import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.kernel.BilinearMap;
import org.polyshare.core.kernel.MatMulShape;
import org.polyshare.core.kernel.WeightedProduct;
import org.polyshare.core.protocol.FixedWeightLinear;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.RangeListener;
import org.polyshare.core.protocol.Truncation;
import org.polyshare.core.ring.FixedPoint;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Linear;

/**
 * The owner-held product of a Conv2d or Linear and its bias at 2f bits ({@link
 * FixedWeightLinear#owned}): online, party 1 sends its masked share and party 0 alone does one ring
 * conv/GEMM with its plaintext weights, then adds the bias (and a PolyKerv's cp) before the
 * truncation. The part that {@link LinearLayer} and {@link PolyKervLayer} share. When the input is
 * a carried power ({@link CarryPlan}, {@code e} extra bits) the product sits at {@code 2f + e} bits
 * and so does the bias (its 2f encoding shifted up, exactly). Party 1's share of the product is
 * fixed offline ({@link Inference#knownShare}), so the opening that reads it — the truncation or
 * the fused power — takes party 1's half offline and costs one message online, party 0 to party 1.
 */
final class OwnedProduct {
  private final int maskId;
  private final BilinearMap map;
  private final Encoded weights;
  private final Encoded bias2f;
  private final int perChannel;
  private final Supplier<WeightedProduct> plain;

  private OwnedProduct(
      int maskId, BilinearMap map, Encoded weights, Encoded bias2f, int perChannel) {
    this.maskId = maskId;
    this.map = map;
    this.weights = weights;
    this.bias2f = bias2f;
    this.perChannel = perChannel;
    this.plain = Suppliers.memoize(() -> WeightedProduct.of(map, weights.get()));
  }

  /** A conv, with {@code cp} (or null) added to its bias. */
  static OwnedProduct conv(
      int maskId, Conv2d c, double[] cp, Program.Step s, SecureLayer.Lowering low) {
    FixedPoint fp = low.fp();
    int e = low.carryIn(s);
    return new OwnedProduct(
        maskId,
        Encoding.convShape(c, s.inShape(), low.batch()),
        new Encoded(() -> fp.encode(c.weight())),
        new Encoded(() -> shiftUp(Encoding.bias2f(fp, c.bias(), cp), e)),
        Encoding.spatial(s.outShape()));
  }

  private static long[] shiftUp(long[] v, int bits) {
    for (int i = 0; i < v.length; i++) {
      v[i] <<= bits;
    }
    return v;
  }

  /** A dense layer {@code X[batch, in] · Wᵀ[in, out]}. */
  static OwnedProduct linear(int maskId, Linear lin, Program.Step s, SecureLayer.Lowering low) {
    FixedPoint fp = low.fp();
    int e = low.carryIn(s);
    return new OwnedProduct(
        maskId,
        new MatMulShape(low.batch(), lin.inFeatures(), lin.outFeatures()),
        new Encoded(
            () -> fp.encode(Encoding.transpose(lin.weight(), lin.outFeatures(), lin.inFeatures()))),
        new Encoded(() -> shiftUp(Encoding.bias2f(fp, lin.bias(), null), e)),
        1);
  }

  CorrelationRequest sessionRequest() {
    return new CorrelationRequest.WeightMask(maskId, map.rightNumel());
  }

  CorrelationRequest inferenceRequest() {
    return new CorrelationRequest.FixedMask(maskId, map, true);
  }

  /** Setup: opens {@code F = W − B}; only party 0 passes its weights. */
  FixedWeightLinear open(Party party) {
    return FixedWeightLinear.owned(party, maskId, party.id() == 0 ? weights.get() : null, map);
  }

  /** Online: shares of {@code X ⊗ W + bias} at 2f bits. */
  long[] apply(Party q, FixedWeightLinear fw, FixedWeightLinear.Prepared prep, long[] x) {
    long[] z = fw.applyRaw(q, prep, x);
    if (q.id() == 0) {
      Encoding.addPerChannel(z, bias2f.get(), perChannel);
    }
    return z;
  }

  /** The plaintext product and bias at 2f bits (the owner's kernel: {@link WeightedProduct}). */
  long[] ring(long[] x) {
    long[] z = plain.get().apply(x);
    Encoding.addPerChannel(z, bias2f.get(), perChannel);
    return z;
  }

  /**
   * One inference of a layer built on the product: the offline precomputation and the online
   * product (bias added); the layer adds its activation part.
   */
  abstract static class Inference extends SecureLayer.Inference {
    private final OwnedProduct product;
    private final FixedWeightLinear fw;
    private FixedWeightLinear.Prepared prepared;

    Inference(OwnedProduct product, FixedWeightLinear fw) {
      this.product = product;
      this.fw = fw;
    }

    @Override
    void offlineLinear(Party q) {
      prepared = fw.prepare(q);
    }

    @Override
    long[] onlineLinear(Party q, long[][] in) {
      return product.apply(q, fw, prepared, in[0]);
    }

    @Override
    RangeListener streamInput(Party q) {
      return fw.streamInput(q, prepared);
    }

    /**
     * After {@link #offlineLinear}: party 1's share of the product (bias included: party 0 adds
     * it), fixed before the input; null for party 0. The opening that reads the product sends party
     * 1's half offline with it ({@link Truncation#openEarly}).
     */
    long[] knownShare(Party q) {
      return fw.knownShare(q, prepared);
    }
  }
}
