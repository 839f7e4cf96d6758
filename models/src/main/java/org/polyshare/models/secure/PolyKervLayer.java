package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.protocol.FixedWeightLinear;
import org.polyshare.core.protocol.FusedPower;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.PowerChain;
import org.polyshare.core.protocol.Truncation;
import org.polyshare.models.graph.PolyKerv;

/**
 * A PolyKerv {@code (conv(x) + cp)^dp}: the owner-held conv with {@code bias + cp} added at 2f
 * bits, one truncation, then the power by square-and-multiply ({@link PowerChain}), each product
 * truncated. The activation part is the truncation and the power.
 *
 * <p><b>Fused</b> ({@link SecureModel.Options#fusedPolyKerv}, DEALER or EXACT mode, {@code dp ≤
 * 2}): the truncation and the power are one opening ({@link FusedPower}: shares of {@code
 * ⌊z/2^f⌋^dp}, plus the dropped borrow in DEALER mode), then one truncation by {@code (dp − 1)·f}
 * back to f bits: for dp = 2, two openings instead of three. Its ring form, {@code (⌊z/2^f⌋)² >>
 * f}, is the chain's, so {@link #ring} and the headroom bound are unchanged. A higher degree keeps
 * the chain: the fused power's {@code dp·f}-bit output needs more headroom than the chain's
 * truncated products, which the guard does not yet check.
 */
final class PolyKervLayer extends SecureLayer {
  private final OwnedProduct product;
  private final PowerChain chain;
  private final int dp;
  private final boolean fused;
  private final List<CorrelationRequest> activationRequests;

  PolyKervLayer(Program.Step step, Lowering low, int maskId) {
    super(step, low);
    PolyKerv p = (PolyKerv) step.layer();
    this.product = OwnedProduct.conv(maskId, p.conv(), p.cp(), step, low);
    this.chain = PowerChain.of(p.dp());
    this.dp = p.dp();
    this.fused = low.fusedPolyKerv() && FusedPower.supports(mode) && dp <= 2;
    this.activationRequests =
        fused
            ? Lists.concat(
                FusedPower.requests(mode, n(), f, dp),
                dp > 1 ? truncation(n(), (dp - 1) * f) : List.of())
            : Lists.concat(truncation(n(), f), chain.requests(n(), f, mode));
  }

  @Override
  List<CorrelationRequest> sessionRequests() {
    return List.of(product.sessionRequest());
  }

  @Override
  List<CorrelationRequest> linearRequests() {
    return List.of(product.inferenceRequest());
  }

  @Override
  List<CorrelationRequest> activationRequests() {
    return activationRequests;
  }

  @Override
  boolean hasActivation() {
    return true;
  }

  @Override
  Session open(Party party) {
    FixedWeightLinear fw = product.open(party);
    return () ->
        new Inference() {
          private FixedWeightLinear.Prepared prepared;

          @Override
          void offlineLinear(Party q) {
            prepared = fw.prepare(q);
          }

          @Override
          long[] onlineLinear(Party q, long[][] in) {
            return product.apply(q, fw, prepared, in[0]);
          }

          @Override
          long[] onlineActivation(Party q, long[] z) {
            if (fused) {
              long[] power = FusedPower.power(q, z, f, dp);
              return dp > 1 ? Truncation.truncate(q, power, (dp - 1) * f) : power;
            }
            return chain.secure(q, Truncation.truncate(q, z));
          }
        };
  }

  @Override
  long[] ring(long[][] in) {
    return chain.ring(RingOps.shift(product.ring(in[0]), f), f);
  }
}
