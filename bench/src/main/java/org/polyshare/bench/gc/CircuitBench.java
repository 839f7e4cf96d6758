package org.polyshare.bench.gc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.polyshare.core.gc.Bits;
import org.polyshare.core.gc.Circuit;
import org.polyshare.core.gc.CircuitRunner;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.ring.FixedPoint;

/**
 * {@code bench gc --circuit}: plain Yao on any {@link Circuit} through {@link CircuitRunner}, party
 * 0 garbling {@code instances} copies and holding every input but the last, party 1 holding the
 * last and learning the outputs. The runner's phases run one after the other between barriers, so
 * each is measured alone: labels (party 1's input labels by OT from the dealer's random OTs),
 * garble (party 0, local), transfer (tables and party 0's active labels), evaluate (party 1,
 * local). Every instance's output is checked against plain evaluation.
 */
public final class CircuitBench {
  private static final Duration TIMEOUT = Duration.ofSeconds(600);

  /** One party's phases; {@link PhaseCost#NONE} where the phase is the other party's. */
  public record Phases(
      PhaseCost labels, PhaseCost garble, PhaseCost transfer, PhaseCost evaluate) {}

  /** One repetition: both parties, the dealer's bytes to both, party 1's outputs. */
  public record Rep(Phases party0, Phases party1, long dealerBytes, long[][] outputs) {
    public PhasePair labels() {
      return new PhasePair(party0.labels(), party1.labels());
    }

    public PhasePair transfer() {
      return new PhasePair(party0.transfer(), party1.transfer());
    }
  }

  private record Side(Phases phases, long[][] outputs) {}

  private final Circuit c;
  private final int capacity;
  private final int n;

  /** {@code values[i][k]}: input i of instance k, LSB-first words. */
  private final long[][][] values;

  /**
   * {@code hexInputs}: one fixed value per circuit input (most significant digit first), or none
   * for random inputs per instance drawn from {@code seed}.
   */
  public CircuitBench(Circuit c, List<String> hexInputs, int instances, int capacity, long seed) {
    if (c.inputCount() < 1) {
      throw new IllegalArgumentException(c.name() + " has no inputs");
    }
    if (!hexInputs.isEmpty() && hexInputs.size() != c.inputCount()) {
      throw new IllegalArgumentException(
          c.name()
              + " has "
              + c.inputCount()
              + " inputs but "
              + hexInputs.size()
              + " --input values were given");
    }
    if (instances < 1 || capacity < 1) {
      throw new IllegalArgumentException("--instances and --capacity must be >= 1");
    }
    this.c = c;
    this.capacity = capacity;
    this.n = instances;
    this.values = new long[c.inputCount()][n][];
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < c.inputCount(); i++) {
      long[] fixed = hexInputs.isEmpty() ? null : Bits.fromHex(hexInputs.get(i), c.inputWidth(i));
      for (int k = 0; k < n; k++) {
        long[] v = fixed != null ? fixed : new long[(c.inputWidth(i) + 63) >>> 6];
        for (int j = 0; fixed == null && j < c.inputWidth(i); j++) {
          v[j >>> 6] |= (long) rnd.nextInt(2) << (j & 63);
        }
        values[i][k] = v;
      }
    }
  }

  public String title(Repetitions reps) {
    return String.format(
        "bench gc --circuit %s: %d inputs (last = evaluator's), %d AND / %d XOR /"
            + " %d INV gates, %d label slots; %d instances, %d per engine call, %d warm-up + %d measured reps",
        c.name(),
        c.inputCount(),
        c.andCount(),
        c.xorCount(),
        c.invCount(),
        c.slots(),
        n,
        Math.min(capacity, n),
        reps.warmup(),
        reps.measured());
  }

  /** The measured repetitions; fails if any instance's output differs from plain evaluation. */
  public List<Rep> run(Repetitions reps) {
    List<Rep> runs = reps.run(k -> repetition());
    long[][] expect = plainOutputs();
    int mismatches = 0;
    for (int k = 0; k < n; k++) {
      mismatches += Arrays.equals(runs.get(runs.size() - 1).outputs()[k], expect[k]) ? 0 : 1;
    }
    if (mismatches > 0) {
      throw new IllegalStateException(
          mismatches + " of " + n + " garbled instances disagree with plain evaluation");
    }
    return runs;
  }

  private Rep repetition() {
    InProcessDealer dealer = new InProcessDealer();
    TwoParties.Result<Side> r =
        TwoPartyRun.run(TIMEOUT, ctx -> garbler(ctx, dealer), ctx -> evaluator(ctx, dealer));
    long dealt = dealer.trafficTo(0).bytes() + dealer.trafficTo(1).bytes();
    return new Rep(r.party0().phases(), r.party1().phases(), dealt, r.party1().outputs());
  }

  private Side garbler(TwoPartyRun.PartyContext ctx, InProcessDealer dealer) {
    PartyLink link = ctx.link();
    Party p = new Party(0, link, dealer.source(0), FixedPoint.defaults());
    CircuitRunner.GarblerSide g =
        CircuitRunner.garbler(p, c, capacity, n, Arrays.copyOf(values, c.inputCount() - 1));
    ctx.barrier().await();
    PhaseTimer t = PhaseTimer.start(link.stats());
    g.transferLabels();
    PhaseCost labels = t.stop();
    ctx.barrier().await();
    t = PhaseTimer.start();
    g.garble();
    PhaseCost garble = t.stop();
    ctx.barrier().await();
    t = PhaseTimer.start(link.stats());
    g.send();
    PhaseCost transfer = t.stop();
    ctx.barrier().await();
    ctx.barrier().await(); // party 1 evaluates
    return new Side(new Phases(labels, garble, transfer, PhaseCost.NONE), null);
  }

  private Side evaluator(TwoPartyRun.PartyContext ctx, InProcessDealer dealer) {
    PartyLink link = ctx.link();
    Party p = new Party(1, link, dealer.source(1), FixedPoint.defaults());
    CircuitRunner.EvaluatorSide e =
        CircuitRunner.evaluator(p, c, capacity, values[c.inputCount() - 1]);
    ctx.barrier().await();
    PhaseTimer t = PhaseTimer.start(link.stats());
    e.transferLabels();
    PhaseCost labels = t.stop();
    ctx.barrier().await();
    ctx.barrier().await(); // party 0 garbles
    t = PhaseTimer.start(link.stats());
    e.receive();
    PhaseCost transfer = t.stop();
    ctx.barrier().await();
    t = PhaseTimer.start();
    long[][] outputs = e.evaluate();
    PhaseCost evaluate = t.stop();
    ctx.barrier().await();
    return new Side(new Phases(labels, PhaseCost.NONE, transfer, evaluate), outputs);
  }

  /** Instance 0's outputs in hex, one line each. */
  public String outputLines(Rep rep) {
    StringBuilder sb = new StringBuilder();
    int off = 0;
    for (int o = 0; o < c.outputCount(); o++) {
      int words = (c.outputWidth(o) + 63) >>> 6;
      long[] w = Arrays.copyOfRange(rep.outputs()[0], off, off + words);
      off += words;
      sb.append("  output ")
          .append(o)
          .append(" (instance 0): ")
          .append(Bits.toHex(w, c.outputWidth(o)))
          .append('\n');
    }
    return sb.toString();
  }

  public Report report(List<Rep> runs, String circuitName) {
    Rep last = runs.get(runs.size() - 1); // traffic is deterministic: the last repetition's
    double ands = (double) c.andCount() * n;
    List<PhaseCost> garble = new ArrayList<>();
    List<PhaseCost> evaluate = new ArrayList<>();
    for (Rep r : runs) {
      garble.add(r.party0().garble());
      evaluate.add(r.party1().evaluate());
    }
    Report r =
        new Report("")
            .put("circuit", circuitName)
            .put("and_gates_per_instance", (long) c.andCount())
            .put("instances", (long) n)
            .put("engine_capacity", (long) Math.min(capacity, n))
            .put("checked_against_plain", n + " instances, all equal")
            .put("ot_ms", Medians.median(runs, x -> x.labels().wallMs()))
            .put("garble_ms", Medians.median(garble, PhaseCost::wallMs))
            .put("transfer_ms", Medians.median(runs, x -> x.transfer().wallMs()))
            .put("evaluate_ms", Medians.median(evaluate, PhaseCost::wallMs));
    AndRates.put(r, ands, garble, evaluate);
    PhaseCost ot = last.party0().labels();
    return r.put("table_bytes_per_and", 32L)
        .put("garbler_sent_bytes_per_and", last.party0().transfer().bytesSent() / ands)
        .put("ot_link_bytes", ot.bytesSent() + ot.bytesReceived())
        .put("dealer_bytes", last.dealerBytes());
  }

  /** Plain outputs of every instance, all outputs concatenated word-aligned per output. */
  private long[][] plainOutputs() {
    long[][] res = new long[n][];
    for (int k = 0; k < n; k++) {
      long[][] in = new long[c.inputCount()][];
      for (int i = 0; i < in.length; i++) {
        in[i] = values[i][k];
      }
      long[][] out = c.evaluate(in);
      res[k] = new long[CircuitRunner.outputWords(c)];
      for (int o = 0, p = 0; o < out.length; p += out[o].length, o++) {
        System.arraycopy(out[o], 0, res[k], p, out[o].length);
      }
    }
    return res;
  }
}
