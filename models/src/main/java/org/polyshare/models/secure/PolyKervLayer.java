package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.protocol.FixedWeightLinear;
import org.polyshare.core.protocol.FusedPower;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.PowerChain;
import org.polyshare.core.protocol.Tags;
import org.polyshare.core.protocol.Truncation;
import org.polyshare.models.graph.PolyKerv;

/**
 * A PolyKerv {@code (conv(x) + cp)^dp}: the owner-held conv with {@code bias + cp} added at {@code
 * s + f} bits ({@code s = f}, or {@code f + e} when the input is a carried power with e extra
 * bits), then the activation in the form its {@link CarryPlan} gives:
 *
 * <ul>
 *   <li>carried: one opening, {@link FusedPower} with shift s: shares of {@code t^dp}, {@code t =
 *       ⌊z/2^s⌋} (plus the dropped borrow in DEALER mode), left at {@code dp·f} bits for the
 *       readers' truncation;
 *   <li>fused: the same, then one truncation by {@code (dp − 1)·f};
 *   <li>chain: a truncation by s, then square-and-multiply ({@link PowerChain}), each product
 *       truncated.
 * </ul>
 *
 * The first opening (the fused power's, or the chain's truncation) reads the product, whose party-1
 * share is fixed offline: party 1's half goes in the offline phase and online the layer costs the
 * masked input (party 1 to 0) and party 0's half (0 to 1), one round trip.
 *
 * <p>Ring form ({@link #ring}): the same points, each an exact shift, and the power {@code t^dp} in
 * wrapping long arithmetic, which is what the fused power computes exactly in EXACT mode.
 */
final class PolyKervLayer extends SecureLayer {
  private final OwnedProduct product;
  private final PowerChain chain;
  private final int dp;
  private final int shift;
  private final CarryPlan.Form form;

  PolyKervLayer(Program.Step step, Lowering low, int maskId) {
    super(step, low);
    PolyKerv p = (PolyKerv) step.layer();
    this.product = OwnedProduct.conv(maskId, p.conv(), p.cp(), step, low);
    this.chain = PowerChain.of(p.dp());
    this.dp = p.dp();
    this.shift = f + carryIn;
    this.form = low.carry() == null ? CarryPlan.Form.CHAIN : low.carry().kerv(p.name()).form();
    List<CorrelationRequest> activation =
        switch (form) {
          case CARRIED -> FusedPower.requests(mode, n(), shift, dp);
          case FUSED ->
              Lists.concat(
                  FusedPower.requests(mode, n(), shift, dp),
                  dp > 1 ? truncation(n(), (dp - 1) * f) : List.of());
          case CHAIN -> Lists.concat(truncation(n(), shift), chain.requests(n(), f, mode));
        };
    requests(
        List.of(product.sessionRequest()), List.of(product.inferenceRequest()), activation, true);
  }

  /** The carried power is the opening's result, piece by piece. */
  @Override
  boolean handsOffOutput() {
    return form == CarryPlan.Form.CARRIED;
  }

  @Override
  boolean streamsMaskedInput() {
    return true;
  }

  @Override
  boolean clientSendsOffline(int tag) {
    return tag == (form == CarryPlan.Form.CHAIN ? Tags.TRUNCATE : Tags.FUSED_POWER);
  }

  @Override
  Session open(Party party) {
    FixedWeightLinear fw = product.open(party);
    return () ->
        new OwnedProduct.Inference(product, fw) {
          private Truncation.Prepared first;
          private FusedPower.Prepared opening;

          /** The opening of the product, party 1's half sent now (its share is fixed offline). */
          @Override
          void offlineActivation(Party q) {
            if (form == CarryPlan.Form.CHAIN) {
              first = Truncation.prepare(q, n(), shift);
              Truncation.openEarly(q, first, knownShare(q));
            } else {
              opening = FusedPower.prepare(q, n(), shift, dp);
              FusedPower.openEarly(q, opening, knownShare(q));
            }
          }

          @Override
          long[] onlineActivation(Party q, long[] z) {
            if (form == CarryPlan.Form.CHAIN) {
              return chain.secure(q, Truncation.finish(q, first, z));
            }
            if (form == CarryPlan.Form.FUSED && dp > 1) {
              return Truncation.truncate(q, FusedPower.power(q, opening, z), (dp - 1) * f);
            }
            return FusedPower.power(q, opening, z, handOff());
          }
        };
  }

  @Override
  long[] ring(long[][] in) {
    long[] t = RingOps.shift(product.ring(in[0]), shift);
    if (form == CarryPlan.Form.CHAIN) {
      return chain.ring(t, f);
    }
    for (int i = 0; i < t.length; i++) {
      long b = t[i];
      long pw = b;
      for (int j = 1; j < dp; j++) {
        pw *= b;
      }
      t[i] = pw;
    }
    return form == CarryPlan.Form.FUSED && dp > 1 ? RingOps.shift(t, (dp - 1) * f) : t;
  }
}
