package org.polyshare.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.gc.Bits;
import org.polyshare.core.gc.BristolReader;
import org.polyshare.core.gc.Circuit;
import org.polyshare.core.gc.CircuitRunner;
import org.polyshare.core.gc.GcFunction;
import org.polyshare.core.gc.GcMaxPool;
import org.polyshare.core.gc.GcOffline;
import org.polyshare.core.gc.GcRelu;
import org.polyshare.core.gc.SharedEvaluator;
import org.polyshare.core.gc.SharedGarbler;
import org.polyshare.core.link.LinkStats;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.ring.FixedPoint;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench gc}: half-gates garbling and evaluation between two in-process parties (two
 * threads, in-memory link, in-process dealer for the random OTs).
 *
 * <p>{@code --circuit FILE}: party 0 garbles {@code --instances} copies of a Bristol Fashion
 * circuit, party 1 evaluates them. The last input is party 1's (its labels by OT from dealer
 * random OTs), the others are party 0's. The phases are run one after the other, separated by
 * barriers, so each is measured alone on one core: OT, garble, transfer (tables and the garbler's
 * input labels through the link), evaluate. Outputs are decoded by party 1 and checked against
 * plain evaluation of every instance.
 *
 * <p>{@code --relu N}: {@link GcRelu#prepare} and {@link GcRelu#online} on N ReLUs of random
 * shares, checked against ReLU(x) >> shift in the clear; {@code --maxpool N}: the same for
 * {@link GcMaxPool} over N windows of {@code --window} values.
 *
 * <p>Rates are AND gates per second of wall time of the engine alone; the other helpers on a
 * shared machine disturb them, so the median and the best of the repetitions are both shown,
 * with the system load average.
 */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    description = "Garbled circuits (half-gates, fixed-key AES): AND gates/s, bytes per AND, GC ReLU costs.")
final class GcCommand implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Mode mode;

  static final class Mode {
    @Option(names = "--circuit", description = "Bristol Fashion circuit file")
    Path circuit;

    @Option(names = "--relu", description = "number of GC ReLUs to prepare and evaluate")
    Integer relu;

    @Option(names = "--maxpool", description = "number of GC max-pool windows to prepare and evaluate")
    Integer maxpool;
  }

  @Option(names = "--window", defaultValue = "4", description = "max-pool: values per window (default ${DEFAULT-VALUE}, a 2x2 pool)")
  int window;

  @Option(
      names = "--input",
      description =
          "value of the next circuit input in hex, most significant digit first; bit j of the value"
              + " is the input's j-th wire (repeat once per input; default: random per instance)")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--instances", defaultValue = "512", description = "circuit instances garbled at once (default ${DEFAULT-VALUE})")
  int instances;

  @Option(names = "--capacity", defaultValue = "128", description = "instances per engine call: labels of that many instances of every live wire stay in cache (default ${DEFAULT-VALUE})")
  int capacity;

  @Option(names = "--shift", defaultValue = "16", description = "ReLU: right shift (fixed-point truncation) folded into the circuit (default ${DEFAULT-VALUE})")
  int shift;

  @Option(names = "--reps", defaultValue = "5", description = "measured repetitions (default ${DEFAULT-VALUE})")
  int reps;

  @Option(names = "--warmup", defaultValue = "3", description = "unmeasured warm-up repetitions (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--seed", defaultValue = "1", description = "seed of the random test inputs (not of any secret) (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--json", description = "also write the results as JSON to this file")
  Path json;

  @Override
  public Integer call() throws IOException {
    if (reps < 1 || warmup < 0 || capacity < 1) {
      throw new IllegalArgumentException("--reps and --capacity must be >= 1, --warmup >= 0");
    }
    Map<String, Object> out = mode.circuit != null ? circuitBench() : reluBench();
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    out.put("load_average_1min", os.getSystemLoadAverage());
    out.put("cpus", os.getAvailableProcessors());
    for (Map.Entry<String, Object> e : out.entrySet()) {
      Object v = e.getValue();
      System.out.printf("  %-34s %s%n", e.getKey(), v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : v);
    }
    if (json != null) {
      Files.writeString(json, OpsCommand.toJson(out), StandardCharsets.UTF_8);
      System.out.println("wrote " + json);
    }
    return 0;
  }

  // ---------------------------------------------------------------------------------------------
  // --circuit

  private Map<String, Object> circuitBench() {
    Circuit c = BristolReader.read(mode.circuit);
    if (c.inputCount() < 1) {
      throw new IllegalArgumentException(mode.circuit + " has no inputs");
    }
    if (!inputs.isEmpty() && inputs.size() != c.inputCount()) {
      throw new IllegalArgumentException(
          mode.circuit + " has " + c.inputCount() + " inputs but " + inputs.size() + " --input values were given");
    }
    if (instances < 1) {
      throw new IllegalArgumentException("--instances must be >= 1");
    }
    int n = instances;
    // values[i][k]: input i of instance k as little-endian words
    long[][][] values = new long[c.inputCount()][n][];
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < c.inputCount(); i++) {
      long[] fixed = inputs.isEmpty() ? null : Bits.fromHex(inputs.get(i), c.inputWidth(i));
      for (int k = 0; k < n; k++) {
        long[] v = fixed != null ? fixed : new long[(c.inputWidth(i) + 63) >>> 6];
        if (fixed == null) {
          for (int j = 0; j < c.inputWidth(i); j++) {
            v[j >>> 6] |= (long) rnd.nextInt(2) << (j & 63);
          }
        }
        values[i][k] = v;
      }
    }
    int evalInput = c.inputCount() - 1;
    System.out.printf(
        "bench gc --circuit %s: %d inputs (last = evaluator's), %d AND / %d XOR / %d INV gates, %d label slots;"
            + " %d instances, %d per engine call, %d warm-up + %d measured reps%n",
        mode.circuit, c.inputCount(), c.andCount(), c.xorCount(), c.invCount(), c.slots(), n,
        Math.min(capacity, n), warmup, reps);

    long[][] expect = plainOutputs(c, values, n);
    double[][] times = new double[6][reps]; // ot, garble, transfer, evaluate, garble cpu, evaluate cpu (ms)
    long[] bytes = new long[3]; // ot bytes, transfer bytes (party 0 -> 1), dealer bytes
    long[][] got = null;
    for (int rep = 0; rep < warmup + reps; rep++) {
      InProcessDealer dealer = new InProcessDealer();
      CyclicBarrier barrier = new CyclicBarrier(2);
      long[][] nanos = new long[2][4];
      long[][] traffic = new long[2][2];
      // party 0: [ot, garble, garble cpu, -]; party 1: [ot, evaluate cpu, transfer, evaluate]
      TwoParties.Result<long[][]> r =
          TwoParties.run(
              link -> garblerSide(new Party(0, link, dealer.source(0), FixedPoint.defaults()), c, values, n, barrier, nanos[0], traffic[0]),
              link -> evaluatorSide(new Party(1, link, dealer.source(1), FixedPoint.defaults()), c, values[evalInput], n, barrier, nanos[1]));
      got = r.party1();
      if (rep >= warmup) {
        int m = rep - warmup;
        times[0][m] = Math.max(nanos[0][0], nanos[1][0]) / 1e6;
        times[1][m] = nanos[0][1] / 1e6;
        times[2][m] = nanos[1][2] / 1e6;
        times[3][m] = nanos[1][3] / 1e6;
        times[4][m] = nanos[0][2] / 1e6;
        times[5][m] = nanos[1][1] / 1e6;
        bytes[0] = traffic[0][0];
        bytes[1] = traffic[0][1];
        bytes[2] = dealer.trafficTo(0).bytes() + dealer.trafficTo(1).bytes();
      }
    }
    int mismatches = 0;
    for (int k = 0; k < n; k++) {
      if (!Arrays.equals(got[k], expect[k])) {
        mismatches++;
      }
    }
    for (int o = 0; o < c.outputCount(); o++) {
      long[] w = outputWords(c, got[0], o);
      System.out.printf("  output %d (instance 0): %s%n", o, Bits.toHex(w, c.outputWidth(o)));
    }
    if (mismatches > 0) {
      throw new IllegalStateException(
          mismatches + " of " + n + " garbled instances disagree with plain evaluation");
    }
    double ands = (double) c.andCount() * n;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("circuit", mode.circuit.getFileName().toString());
    out.put("and_gates_per_instance", c.andCount());
    out.put("instances", n);
    out.put("engine_capacity", Math.min(capacity, n));
    out.put("checked_against_plain", n + " instances, all equal");
    out.put("ot_ms", OpsCommand.median(times[0]));
    out.put("garble_ms", OpsCommand.median(times[1]));
    out.put("transfer_ms", OpsCommand.median(times[2]));
    out.put("evaluate_ms", OpsCommand.median(times[3]));
    putRates(out, "", ands, times[1], times[3]);
    putRates(out, "cpu_", ands, times[4], times[5]);
    out.put("table_bytes_per_and", 32);
    out.put("garbler_sent_bytes_per_and", bytes[1] / ands);
    out.put("ot_link_bytes", bytes[0]);
    out.put("dealer_bytes", bytes[2]);
    return out;
  }

  /** Rates from engine times: wall-clock ({@code prefix ""}) or thread CPU time ({@code "cpu_"}). */
  private static void putRates(
      Map<String, Object> out, String prefix, double ands, double[] garbleMs, double[] evalMs) {
    if (prefix.equals("cpu_") && !CPU_TIME) {
      return;
    }
    double[] both = new double[garbleMs.length];
    double bestG = Double.MAX_VALUE;
    double bestE = Double.MAX_VALUE;
    double bestB = Double.MAX_VALUE;
    for (int i = 0; i < both.length; i++) {
      both[i] = garbleMs[i] + evalMs[i];
      bestG = Math.min(bestG, garbleMs[i]);
      bestE = Math.min(bestE, evalMs[i]);
      bestB = Math.min(bestB, both[i]);
    }
    out.put(prefix + "garble_M_and_per_s", ands / OpsCommand.median(garbleMs) / 1e3);
    out.put(prefix + "evaluate_M_and_per_s", ands / OpsCommand.median(evalMs) / 1e3);
    out.put(prefix + "garble_plus_evaluate_M_and_per_s", ands / OpsCommand.median(both) / 1e3);
    out.put(prefix + "best_garble_M_and_per_s", ands / bestG / 1e3);
    out.put(prefix + "best_evaluate_M_and_per_s", ands / bestE / 1e3);
    out.put(prefix + "best_garble_plus_evaluate_M_and_per_s", ands / bestB / 1e3);
  }

  private static long[] outputWords(Circuit c, long[] all, int o) {
    int off = 0;
    for (int i = 0; i < o; i++) {
      off += (c.outputWidth(i) + 63) >>> 6;
    }
    return Arrays.copyOfRange(all, off, off + ((c.outputWidth(o) + 63) >>> 6));
  }

  /** Plain outputs of every instance, all outputs concatenated word-aligned per output. */
  private static long[][] plainOutputs(Circuit c, long[][][] values, int n) {
    long[][] res = new long[n][];
    for (int k = 0; k < n; k++) {
      long[][] in = new long[c.inputCount()][];
      for (int i = 0; i < in.length; i++) {
        in[i] = values[i][k];
      }
      res[k] = concat(c.evaluate(in));
    }
    return res;
  }

  private static long[] concat(long[][] words) {
    int len = 0;
    for (long[] w : words) {
      len += w.length;
    }
    long[] r = new long[len];
    int p = 0;
    for (long[] w : words) {
      System.arraycopy(w, 0, r, p, w.length);
      p += w.length;
    }
    return r;
  }

  /** Party 0 of {@link CircuitRunner}, its phases timed between barriers. */
  private long[][] garblerSide(
      Party p, Circuit c, long[][][] values, int n, CyclicBarrier barrier, long[] nanos, long[] traffic) {
    PartyLink link = p.link();
    CircuitRunner.GarblerSide g =
        CircuitRunner.garbler(p, c, capacity, n, Arrays.copyOf(values, c.inputCount() - 1));
    await(barrier);
    LinkStats.Snapshot s0 = link.stats().snapshot();
    long t0 = System.nanoTime();
    g.transferLabels();
    nanos[0] = System.nanoTime() - t0;
    LinkStats.Snapshot ot = link.stats().snapshot().minus(s0);
    traffic[0] = ot.bytesSent() + ot.bytesReceived();
    await(barrier);
    long cg = cpuNanos();
    long tg = System.nanoTime();
    g.garble();
    nanos[1] = System.nanoTime() - tg;
    nanos[2] = cpuNanos() - cg;
    await(barrier);
    LinkStats.Snapshot s1 = link.stats().snapshot();
    g.send();
    traffic[1] = link.stats().snapshot().minus(s1).bytesSent();
    await(barrier);
    await(barrier);
    return null;
  }

  /** Party 1 of {@link CircuitRunner}, its phases timed between barriers. */
  private long[][] evaluatorSide(
      Party p, Circuit c, long[][] myValues, int n, CyclicBarrier barrier, long[] nanos) {
    CircuitRunner.EvaluatorSide e = CircuitRunner.evaluator(p, c, capacity, myValues);
    await(barrier);
    long t0 = System.nanoTime();
    e.transferLabels();
    nanos[0] = System.nanoTime() - t0;
    await(barrier); // garbling
    await(barrier);
    long t1 = System.nanoTime();
    e.receive();
    nanos[2] = System.nanoTime() - t1;
    await(barrier);
    long ce = cpuNanos();
    long te = System.nanoTime();
    long[][] outputs = e.evaluate();
    nanos[3] = System.nanoTime() - te;
    nanos[1] = cpuNanos() - ce;
    await(barrier);
    return outputs;
  }

  // ---------------------------------------------------------------------------------------------
  // --relu

  private Map<String, Object> reluBench() {
    boolean pool = mode.maxpool != null;
    int n = pool ? mode.maxpool : mode.relu;
    int w = pool ? window : 1;
    String unit = pool ? "window" : "relu";
    if (n < 1 || w < 1) {
      throw new IllegalArgumentException("--relu, --maxpool and --window must be >= 1");
    }
    Circuit c = pool ? GcMaxPool.circuit(w, shift) : GcRelu.circuit(shift);
    System.out.printf(
        "bench gc --%s %d%s --shift %d: %d AND gates per %s, %d warm-up + %d measured reps%n",
        pool ? "maxpool" : "relu", n, pool ? " --window " + w : "", shift, c.andCount(), unit,
        warmup, reps);
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] x = new long[n * w];
    long[] x0 = new long[n * w];
    long[] x1 = new long[n * w];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextLong() >> rnd.nextInt(64);
      x0[i] = rnd.nextLong();
      x1[i] = x[i] - x0[i];
    }
    double[][] t = new double[6][reps]; // offline, online, garble, evaluate engine; same in cpu (ms)
    long[] offBytes = new long[2];
    long[] onBytes = new long[2];
    long[] onRounds = new long[2];
    long[] dealerBytes = new long[2];
    long[] stored = new long[2];
    long[][] res = null;
    for (int rep = 0; rep < warmup + reps; rep++) {
      InProcessDealer dealer = new InProcessDealer();
      CyclicBarrier barrier = new CyclicBarrier(2);
      long[][] nanos = new long[2][4];
      long[][] traffic = new long[2][4];
      long[][] mem = new long[2][1];
      TwoParties.Result<long[]> r =
          TwoParties.run(
              link -> reluParty(new Party(0, link, dealer.source(0), FixedPoint.defaults()), n, w, pool, x0, barrier, nanos[0], traffic[0], mem[0]),
              link -> reluParty(new Party(1, link, dealer.source(1), FixedPoint.defaults()), n, w, pool, x1, barrier, nanos[1], traffic[1], mem[1]));
      res = new long[][] {r.party0(), r.party1()};
      if (rep >= warmup) {
        int m = rep - warmup;
        t[0][m] = Math.max(nanos[0][0], nanos[1][0]) / 1e6;
        t[1][m] = Math.max(nanos[0][1], nanos[1][1]) / 1e6;
        t[2][m] = nanos[0][2] / 1e6;
        t[3][m] = nanos[1][2] / 1e6;
        t[4][m] = nanos[0][3] / 1e6;
        t[5][m] = nanos[1][3] / 1e6;
        for (int p = 0; p < 2; p++) {
          offBytes[p] = traffic[p][0];
          onBytes[p] = traffic[p][1];
          onRounds[p] = traffic[p][2];
          dealerBytes[p] = dealer.trafficTo(p).bytes();
          stored[p] = mem[p][0];
        }
      }
    }
    int wrong = 0;
    for (int i = 0; i < n; i++) {
      long want = pool ? Long.MIN_VALUE : 0;
      for (int j = 0; j < w; j++) {
        want = Math.max(want, x[i * w + j]);
      }
      if (res[0][i] + res[1][i] != want >> shift) {
        wrong++;
      }
    }
    if (wrong > 0) {
      throw new IllegalStateException(wrong + " of " + n + " GC " + unit + "s are wrong");
    }
    double ands = (double) c.andCount() * n;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(unit + "s", n);
    if (pool) {
      out.put("window", w);
    }
    out.put("shift_bits", shift);
    out.put("and_gates_per_" + unit, c.andCount());
    out.put("checked_against_plain", n + " " + unit + "s, all equal");
    out.put("offline_ms", OpsCommand.median(t[0]));
    out.put("online_ms", OpsCommand.median(t[1]));
    out.put("garble_engine_ms", OpsCommand.median(t[2]));
    out.put("evaluate_engine_ms", OpsCommand.median(t[3]));
    putRates(out, "", ands, t[2], t[3]);
    putRates(out, "cpu_", ands, t[4], t[5]);
    out.put("offline_link_bytes_per_" + unit, (double) (offBytes[0] + offBytes[1]) / n);
    out.put("offline_dealer_bytes_per_" + unit, (double) (dealerBytes[0] + dealerBytes[1]) / n);
    out.put("online_bytes_per_" + unit, (double) (onBytes[0] + onBytes[1]) / n);
    out.put("online_rounds", Math.max(onRounds[0], onRounds[1]));
    out.put("garbler_stored_bytes_per_" + unit, (double) stored[0] / n);
    out.put("evaluator_stored_bytes_per_" + unit, (double) stored[1] / n);
    return out;
  }

  private long[] reluParty(
      Party p, int n, int w, boolean pool, long[] share, CyclicBarrier barrier, long[] nanos,
      long[] traffic, long[] mem) {
    GcFunction f = pool ? GcMaxPool.function(w, shift) : GcRelu.function(shift);
    await(barrier);
    LinkStats.Snapshot s0 = p.link().stats().snapshot();
    long t0 = System.nanoTime();
    GcOffline off;
    if (p.id() == 0) {
      // the engine is timed around garbleChunk, from outside the protocol
      SharedGarbler g = SharedGarbler.start(p, f, n);
      while (g.hasNextChunk()) {
        long c0 = cpuNanos();
        long e0 = System.nanoTime();
        g.garbleChunk();
        nanos[2] += System.nanoTime() - e0;
        nanos[3] += cpuNanos() - c0;
        g.sendChunk();
      }
      off = g.finish();
    } else {
      off = pool ? GcMaxPool.prepare(p, n, w, shift) : GcRelu.prepare(p, n, shift);
    }
    nanos[0] = System.nanoTime() - t0;
    traffic[0] = p.link().stats().snapshot().minus(s0).bytesSent();
    mem[0] = off.storedBytes();
    await(barrier);
    LinkStats.Snapshot s1 = p.link().stats().snapshot();
    long t1 = System.nanoTime();
    long[] y;
    if (p.id() == 0) {
      y = pool ? GcMaxPool.online(p, off, share) : GcRelu.online(p, off, share);
    } else {
      long[] labels = SharedEvaluator.exchange(p, off, share);
      long c0 = cpuNanos();
      long e0 = System.nanoTime();
      y = SharedEvaluator.evaluate(off, labels);
      nanos[2] = System.nanoTime() - e0;
      nanos[3] = cpuNanos() - c0;
    }
    nanos[1] = System.nanoTime() - t1;
    LinkStats.Snapshot d = p.link().stats().snapshot().minus(s1);
    traffic[1] = d.bytesSent();
    traffic[2] = d.rounds();
    return y;
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

  /** This thread's CPU time (0 when the JVM cannot measure it; the cpu_ rates are then omitted). */
  private static long cpuNanos() {
    return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : 0;
  }

  private static void await(CyclicBarrier b) {
    try {
      b.await(600, TimeUnit.SECONDS);
    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
      throw new IllegalStateException("party threads failed to meet between phases", e);
    }
  }
}
