package org.polyshare.bench.ops;

import java.time.Duration;
import java.util.List;
import org.polyshare.bench.harness.PhaseCost;
import org.polyshare.bench.harness.PhasePair;
import org.polyshare.bench.harness.PhaseTimer;
import org.polyshare.bench.harness.Repetitions;
import org.polyshare.bench.harness.TwoPartyRun;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.correlation.PrefetchingCorrelationSource;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Sharing;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.core.ring.FixedPoint;

/**
 * Runs one op between two in-process parties (two threads, in-memory link, a fresh in-process
 * dealer per repetition) and the same op in plaintext int64 on this thread.
 *
 * <p>Per repetition: setup (party 0 shares its operand; fixed-weight layers open their masked
 * weights), not timed; offline (prefetch of the op's correlations, recorded in the first
 * repetition, plus the op's precomputation and the mask of party 1's input); online (party 1 masks
 * its input, the op with its truncations), with the link's bytes and rounds; then the plaintext op,
 * best of three (it is short and easily disturbed).
 */
public final class OpRunner {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  /** One party's phases in one repetition; {@code linear} is the ring product inside online. */
  public record PartyPhases(
      PhaseCost offline, PhaseCost online, PhaseCost linear, long dealerBytes) {}

  /** One repetition: both parties, the plaintext baseline and the result opened to party 1. */
  public record OpRep(PartyPhases party0, PartyPhases party1, PhaseCost plaintext, long[] opened) {
    public PartyPhases party(int id) {
      return id == 0 ? party0 : party1;
    }

    public PhasePair offline() {
      return new PhasePair(party0.offline(), party1.offline());
    }

    public PhasePair online() {
      return new PhasePair(party0.online(), party1.online());
    }

    public PhasePair linear() {
      return new PhasePair(party0.linear(), party1.linear());
    }
  }

  private record Side(PartyPhases phases, long[] opened) {}

  private final OpCase op;
  private final FixedPoint fp;
  private final TruncationMode mode;
  private final long[] x;
  private final long[] w;

  /** Each party's correlations, recorded in the first repetition and prefetched offline after. */
  private final CorrelationPlan[] plans = new CorrelationPlan[2];

  /** {@code x}: party 1's encoded input; {@code w}: party 0's encoded operand. */
  public OpRunner(OpCase op, FixedPoint fp, TruncationMode mode, long[] x, long[] w) {
    this.op = op;
    this.fp = fp;
    this.mode = mode;
    this.x = x;
    this.w = w;
  }

  /** The measured repetitions (warm-ups run and dropped). */
  public List<OpRep> run(Repetitions reps) {
    return reps.run(k -> repetition());
  }

  private OpRep repetition() {
    InProcessDealer dealer = new InProcessDealer();
    TwoParties.Result<Side> r =
        TwoPartyRun.run(
            TIMEOUT, ctx -> party(ctx, dealer, w, null), ctx -> party(ctx, dealer, null, x));
    long[] opened = r.party1().opened();
    System.gc();
    PhaseCost plain = null;
    for (int q = 0; q < 3; q++) {
      PhaseTimer t = PhaseTimer.start();
      long[] ref = op.plaintext(x, w);
      PhaseCost c = t.stop();
      plain = plain == null ? c : PhaseCost.best(plain, c);
      if (ref.length != opened.length) {
        throw new IllegalStateException(
            "plaintext and secure "
                + op.getClass().getSimpleName()
                + " outputs differ in length: "
                + ref.length
                + " vs "
                + opened.length);
      }
    }
    return new OpRep(r.party0().phases(), r.party1().phases(), plain, opened);
  }

  private Side party(
      TwoPartyRun.PartyContext ctx, InProcessDealer dealer, long[] plainWeights, long[] input) {
    int id = ctx.id();
    PartyLink link = ctx.link();
    PrefetchingCorrelationSource src = new PrefetchingCorrelationSource(dealer.source(id));
    Party p = new Party(id, link, src, fp, mode);
    long[] wShare = Sharing.share(p, 0, plainWeights, op.weightLength());
    OpSession session = op.open(p, wShare, plainWeights);
    src.clearRecorded();
    ctx.barrier().await();

    long dealt0 = dealer.trafficTo(id).bytes();
    PhaseTimer offline = PhaseTimer.start(link.stats());
    if (plans[id] != null) {
      src.prefetch(plans[id]);
    }
    session.prepare();
    Sharing.InputMask inputMask = Sharing.prepareInput(p, 1, op.inputLength());
    PhaseCost offlineCost = offline.stop();
    long dealt = dealer.trafficTo(id).bytes() - dealt0;
    ctx.barrier().await();

    // Counters restart with the online phase, so its first send opens a new round.
    link.stats().reset();
    PhaseTimer online = PhaseTimer.start(link.stats());
    long[] xShare = Sharing.shareInput(p, inputMask, input);
    long[] out = session.online(xShare);
    PhaseCost onlineCost = online.stop();

    if (plans[id] == null) {
      plans[id] = src.recorded();
    } else if (src.buffered() != 0) {
      throw new IllegalStateException("the op did not use all prefetched correlations");
    }
    PartyPhases phases = new PartyPhases(offlineCost, onlineCost, session.linear(), dealt);
    return new Side(phases, Sharing.revealTo(p, 1, out));
  }
}
