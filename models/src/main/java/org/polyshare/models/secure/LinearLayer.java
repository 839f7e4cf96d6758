package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.gc.GcOffline;
import org.polyshare.core.gc.GcRelu;
import org.polyshare.core.protocol.FixedWeightLinear;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Tags;
import org.polyshare.core.protocol.Truncation;

/**
 * A Conv2d or Linear ({@link OwnedProduct}), then either a dealer truncation by f or, when the ReLU
 * reading it is fused, the garbled ReLU with shift f ({@link GcRelu}): the circuit takes the 2f-bit
 * product and truncates by wiring, exactly (floor). In the FSS arm the fused ReLU is {@link
 * FssReluStep} with shift f: the ReLU on the 2f-scale product with its exact truncation folded in
 * (two online rounds, the same floor). A layer reading a carried power ({@link CarryPlan}, {@code
 * e} extra bits) truncates by {@code f + e} in the same opening. A product whose only reader is a
 * folded Add ({@link CarryPlan.AddFold}) is left raw at {@code 2f + e} bits: the Add truncates the
 * sum once. The truncation's opening takes party 1's half offline (its share of the product is
 * fixed before the input, {@link OwnedProduct.Inference#knownShare}): online it is one message,
 * party 0 to party 1.
 */
final class LinearLayer extends SecureLayer {
  private final OwnedProduct product;
  private final boolean fusedRelu;
  private final boolean fss;
  private final int shift;

  /** Left untruncated for a folded Add. */
  private final boolean raw;

  LinearLayer(Program.Step step, Lowering low, OwnedProduct product) {
    this(step, low, product, ReluMode.GC);
  }

  LinearLayer(Program.Step step, Lowering low, OwnedProduct product, ReluMode relu) {
    super(step, low);
    this.product = product;
    this.fusedRelu = step.fusedRelu() != null;
    this.fss = fusedRelu && relu == ReluMode.FSS;
    this.shift = f + carryIn;
    this.raw = !fusedRelu && low.carry() != null && low.carry().excess(step.outputName()) > 0;
    if (fusedRelu && carryIn != 0) {
      throw new IllegalStateException("a fused ReLU cannot read a carried power");
    }
    List<CorrelationRequest> session = List.of(product.sessionRequest());
    List<CorrelationRequest> fixedMask = List.of(product.inferenceRequest());
    if (fusedRelu) {
      requests(
          session,
          fixedMask,
          fss
              ? FssReluStep.requests(n(), 2 * f, f)
              : List.of(new CorrelationRequest.RandomOt(64 * n())),
          true);
    } else {
      requests(
          session,
          raw ? fixedMask : Lists.concat(fixedMask, truncation(n(), shift)),
          List.of(),
          false);
    }
  }

  /** The truncation's opening finishes the output piece by piece. */
  @Override
  boolean handsOffOutput() {
    return !fusedRelu && !raw;
  }

  @Override
  boolean streamsMaskedInput() {
    return true;
  }

  @Override
  boolean clientSendsOffline(int tag) {
    return tag == Tags.TRUNCATE && !fusedRelu && !raw;
  }

  @Override
  boolean offlineWaitsForPeer() {
    return fusedRelu && !fss;
  }

  @Override
  long reluCount() {
    return fusedRelu ? n() : 0;
  }

  @Override
  Session open(Party party) {
    FixedWeightLinear fw = product.open(party);
    return () ->
        new OwnedProduct.Inference(product, fw) {
          private GcOffline relu;
          private Truncation.Prepared truncation;

          @Override
          void offlineLinear(Party q) {
            super.offlineLinear(q);
            if (!fusedRelu && !raw) {
              truncation = Truncation.prepare(q, n(), shift);
              Truncation.openEarly(q, truncation, knownShare(q));
            }
          }

          @Override
          long[] knownOutput(Party q) {
            return raw ? knownShare(q) : null; // raw: the output is the product, bias at party 0
          }

          @Override
          void offlineActivation(Party q) {
            if (fusedRelu && !fss) {
              relu = GcRelu.prepare(q, n(), f);
            }
          }

          @Override
          long[] onlineLinear(Party q, long[][] in) {
            long[] z = super.onlineLinear(q, in);
            return fusedRelu || raw ? z : Truncation.finish(q, truncation, z, handOff());
          }

          @Override
          long[] onlineActivation(Party q, long[] z) {
            if (!fusedRelu) {
              return z;
            }
            return fss ? FssReluStep.online(q, z, 2 * f, f) : GcRelu.online(q, relu, z);
          }
        };
  }

  @Override
  long[] ring(long[][] in) {
    long[] z = product.ring(in[0]);
    if (fusedRelu) {
      return RingOps.reluShift(z, f);
    }
    return raw ? z : RingOps.shift(z, shift);
  }
}
