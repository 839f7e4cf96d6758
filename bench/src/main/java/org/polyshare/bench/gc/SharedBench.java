package org.polyshare.bench.gc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.polyshare.bench.harness.Medians;
import org.polyshare.bench.harness.PhaseCost;
import org.polyshare.bench.harness.PhasePair;
import org.polyshare.bench.harness.PhaseTimer;
import org.polyshare.bench.harness.Repetitions;
import org.polyshare.bench.harness.Report;
import org.polyshare.bench.harness.TwoPartyRun;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.gc.GcFunction;
import org.polyshare.core.gc.GcOffline;
import org.polyshare.core.gc.SharedEvaluator;
import org.polyshare.core.gc.SharedGarbler;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.ring.FixedPoint;
import org.polyshare.core.store.MaterialStore;

/**
 * {@code bench gc --relu} and {@code --maxpool}: the shared-input protocol of a {@link GcFunction}
 * ({@link SharedGarbler}, {@link SharedEvaluator}) on {@code n} instances of random additive
 * shares: offline (OTs, garbling, tables), then online (masked shares, labels, evaluation). The
 * engine is timed from here, around {@link SharedGarbler#garbleChunk} and {@link
 * SharedEvaluator#evaluate}, which do no link traffic. Results are checked against {@code max(0,
 * window…) >> shift} in the clear.
 *
 * <p>Each party keeps its material in a {@link MaterialStore} of the chosen {@link Store}: memory
 * mapped files in the temporary directory, as a party process does, or heap arrays behind the same
 * interface, so one run can set the two side by side.
 */
public final class SharedBench {
  private static final Duration TIMEOUT = Duration.ofSeconds(600);

  /** Where the parties keep garbled material: {@code file} (memory-mapped) or {@code heap}. */
  public enum Store {
    file,
    heap;

    MaterialStore open() {
      return this == file ? MaterialStore.temporary() : MaterialStore.onHeap();
    }
  }

  /**
   * One party's phases: {@code engine} is the garbling engine inside offline (party 0) or the
   * evaluation inside online (party 1); {@code storedBytes} the material it kept.
   */
  public record Phases(
      PhaseCost offline, PhaseCost online, PhaseCost engine, long storedBytes, long storePeak) {}

  /** One repetition: both parties, the dealer's bytes to both, both output shares. */
  public record Rep(Phases party0, Phases party1, long dealerBytes, long[] share0, long[] share1) {
    public PhasePair offline() {
      return new PhasePair(party0.offline(), party1.offline());
    }

    public PhasePair online() {
      return new PhasePair(party0.online(), party1.online());
    }
  }

  private record Side(Phases phases, long[] share) {}

  private final GcFunction f;
  private final String unit;
  private final int shift;
  private final int n;
  private final long[] x;
  private final long[] x0;
  private final long[] x1;
  private final Store store;

  /** {@code unit}: what one instance is in the report's keys ({@code relu}, {@code window}). */
  public SharedBench(GcFunction f, String unit, int shift, int instances, long seed, Store store) {
    if (instances < 1) {
      throw new IllegalArgumentException("--relu and --maxpool must be >= 1");
    }
    this.f = f;
    this.unit = unit;
    this.shift = shift;
    this.n = instances;
    this.store = store;
    int values = n * f.valuesPerInstance();
    SplittableRandom rnd = new SplittableRandom(seed);
    x = new long[values];
    x0 = new long[values];
    x1 = new long[values];
    for (int i = 0; i < values; i++) {
      x[i] = rnd.nextLong() >> rnd.nextInt(64); // every magnitude
      x0[i] = rnd.nextLong();
      x1[i] = x[i] - x0[i];
    }
  }

  public int andGates() {
    return f.circuit().andCount();
  }

  /** The measured repetitions; fails if any instance's shares do not add up to the function. */
  public List<Rep> run(Repetitions reps) {
    List<Rep> runs = reps.run(k -> repetition());
    Rep last = runs.get(runs.size() - 1);
    int w = f.valuesPerInstance();
    int wrong = 0;
    for (int i = 0; i < n; i++) {
      long want = w == 1 ? 0 : Long.MIN_VALUE; // a ReLU is the max of x and 0
      for (int j = 0; j < w; j++) {
        want = Math.max(want, x[i * w + j]);
      }
      wrong += last.share0()[i] + last.share1()[i] == want >> shift ? 0 : 1;
    }
    if (wrong > 0) {
      throw new IllegalStateException(wrong + " of " + n + " GC " + unit + "s are wrong");
    }
    return runs;
  }

  private Rep repetition() {
    InProcessDealer dealer = new InProcessDealer();
    TwoParties.Result<Side> r =
        TwoPartyRun.run(TIMEOUT, ctx -> party(ctx, dealer, x0), ctx -> party(ctx, dealer, x1));
    long dealt = dealer.trafficTo(0).bytes() + dealer.trafficTo(1).bytes();
    return new Rep(
        r.party0().phases(), r.party1().phases(), dealt, r.party0().share(), r.party1().share());
  }

  private Side party(TwoPartyRun.PartyContext ctx, InProcessDealer dealer, long[] share) {
    try (MaterialStore s = store.open()) {
      return party(ctx, dealer, share, s);
    }
  }

  private Side party(
      TwoPartyRun.PartyContext ctx, InProcessDealer dealer, long[] share, MaterialStore s) {
    int id = ctx.id();
    PartyLink link = ctx.link();
    Party p = new Party(id, link, dealer.source(id), FixedPoint.defaults()).withMaterialStore(s);
    ctx.barrier().await();
    PhaseTimer offline = PhaseTimer.start(link.stats());
    PhaseCost engine = PhaseCost.NONE;
    GcOffline material;
    if (id == 0) {
      SharedGarbler g = SharedGarbler.start(p, f, n);
      while (g.hasNextChunk()) {
        PhaseTimer chunk = PhaseTimer.start();
        g.garbleChunk();
        engine = engine.plus(chunk.stop());
        g.sendChunk();
      }
      material = g.finish();
    } else {
      material = SharedEvaluator.prepare(p, f, n);
    }
    PhaseCost offlineCost = offline.stop();
    ctx.barrier().await();
    PhaseTimer online = PhaseTimer.start(link.stats());
    long[] y;
    if (id == 0) {
      y = SharedGarbler.online(p, material, share);
    } else {
      long[] labels = SharedEvaluator.exchange(p, material, share);
      PhaseTimer eval = PhaseTimer.start();
      y = SharedEvaluator.evaluate(material, labels);
      engine = eval.stop();
    }
    PhaseCost onlineCost = online.stop();
    return new Side(
        new Phases(offlineCost, onlineCost, engine, material.storedBytes(), s.peakBytes()), y);
  }

  public Report report(List<Rep> runs) {
    Rep last = runs.get(runs.size() - 1); // traffic is deterministic: the last repetition's
    double ands = (double) andGates() * n;
    List<PhaseCost> garble = new ArrayList<>();
    List<PhaseCost> evaluate = new ArrayList<>();
    for (Rep r : runs) {
      garble.add(r.party0().engine());
      evaluate.add(r.party1().engine());
    }
    Report r = new Report("").put(unit + "s", (long) n).put("store", store.name());
    if (unit.equals("window")) {
      r.put("window", (long) f.valuesPerInstance());
    }
    r.put("shift_bits", (long) shift)
        .put("and_gates_per_" + unit, (long) andGates())
        .put("checked_against_plain", n + " " + unit + "s, all equal")
        .put("offline_ms", Medians.median(runs, x -> x.offline().wallMs()))
        .put("online_ms", Medians.median(runs, x -> x.online().wallMs()))
        .put("garble_engine_ms", Medians.median(garble, PhaseCost::wallMs))
        .put("evaluate_engine_ms", Medians.median(evaluate, PhaseCost::wallMs));
    AndRates.put(r, ands, garble, evaluate);
    PhasePair off = last.offline();
    PhasePair on = last.online();
    return r.put("offline_link_bytes_per_" + unit, (double) (off.bytes01() + off.bytes10()) / n)
        .put("offline_dealer_bytes_per_" + unit, (double) last.dealerBytes() / n)
        .put("online_bytes_per_" + unit, (double) (on.bytes01() + on.bytes10()) / n)
        .put("online_rounds", on.rounds())
        .put("garbler_stored_bytes_per_" + unit, (double) last.party0().storedBytes() / n)
        .put("evaluator_stored_bytes_per_" + unit, (double) last.party1().storedBytes() / n)
        .put("garbler_store_peak_bytes", last.party0().storePeak())
        .put("evaluator_store_peak_bytes", last.party1().storePeak());
  }
}
