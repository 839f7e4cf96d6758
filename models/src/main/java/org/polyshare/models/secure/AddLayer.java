package org.polyshare.models.secure;

import java.util.List;
import java.util.Map;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Tags;
import org.polyshare.core.protocol.Truncation;

/**
 * A residual Add. Local when both operands are at f bits. Folded ({@link CarryPlan.AddFold}) when
 * they arrive above f bits (a product left untruncated, a carried power): each is shifted up to the
 * common scale {@code f + s} — a left shift of a share is a share of the shifted value, exactly, as
 * long as the sum stays in range, which the plan's scale budget and the headroom guard check — and
 * the sum is truncated by {@code s} in one opening. That one opening replaces the operands' own
 * truncations (a product's, a downsample conv's, a PolyKerv's second one), so ResNet's Add costs
 * the round its main branch spent anyway and the shortcut none; and one floor replaces two. When
 * both operands are raw owner-held products (a downsampling block's conv2 and 1x1 shortcut), party
 * 1's share of the sum is fixed offline, so its half of the opening goes offline too ({@link
 * CarryPlan.EarlyHalf}).
 */
final class AddLayer extends SecureLayer {
  private final CarryPlan.AddFold fold;

  /** Both operands are raw products: party 1's share of the sum is fixed offline. */
  private final boolean early;

  AddLayer(Program.Step step, Lowering low) {
    super(step, low);
    this.fold =
        low.carry() == null
            ? new CarryPlan.AddFold(step.layer().name(), 0, 0, 0, "local")
            : low.carry().add(step.layer().name());
    this.early = low.carry() != null && low.carry().opensEarly(step.layer().name());
    requests(
        List.of(), fold.shift() > 0 ? truncation(n(), fold.shift()) : List.of(), List.of(), false);
  }

  /** A folded Add's truncation finishes the sum piece by piece. */
  @Override
  boolean handsOffOutput() {
    return fold.shift() > 0;
  }

  @Override
  boolean clientSendsOnline(int tag) {
    return fold.shift() > 0 && !early && tag == Tags.TRUNCATE;
  }

  @Override
  Session open(Party party) {
    if (fold.shift() == 0) {
      return super.open(party);
    }
    return () ->
        new Inference() {
          private long[][] knownIn;
          private Truncation.Prepared truncation;

          @Override
          void knownInputs(Map<String, long[]> known) {
            if (early) {
              knownIn = new long[][] {known.remove(inputs().get(0)), known.remove(inputs().get(1))};
            }
          }

          @Override
          void offlineLinear(Party q) {
            truncation = Truncation.prepare(q, n(), fold.shift());
            if (early) {
              Truncation.openEarly(q, truncation, q.id() == 0 ? null : partyOneSum(knownIn));
            }
            knownIn = null;
          }

          @Override
          long[] onlineLinear(Party q, long[][] in) {
            return Truncation.finish(q, truncation, aligned(in), handOff());
          }
        };
  }

  private long[] partyOneSum(long[][] known) {
    if (known[0] == null || known[1] == null) {
      throw new IllegalStateException(
          "Add '" + name() + "': party 1's shares of its raw operands were not fixed offline");
    }
    return aligned(known);
  }

  @Override
  long[] online(Party q, long[][] in) {
    return aligned(in); // local: both operands at f bits
  }

  @Override
  long[] ring(long[][] in) {
    long[] sum = aligned(in);
    return fold.shift() > 0 ? RingOps.shift(sum, fold.shift()) : sum;
  }

  /**
   * {@code (a << leftUp) + (b << rightUp)}, a fresh array (the operands may have other readers).
   */
  private long[] aligned(long[][] in) {
    long[] a = in[0];
    long[] b = in[1];
    int lu = fold.leftUp();
    int ru = fold.rightUp();
    long[] out = new long[a.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (a[i] << lu) + (b[i] << ru);
    }
    return out;
  }
}
