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
import org.polyshare.core.correlation.RandomOts;
import org.polyshare.core.gc.Bits;
import org.polyshare.core.gc.BristolReader;
import org.polyshare.core.gc.Circuit;
import org.polyshare.core.gc.Evaluator;
import org.polyshare.core.gc.Garbler;
import org.polyshare.core.gc.GcMaxPool;
import org.polyshare.core.gc.GcRelu;
import org.polyshare.core.link.LinkStats;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.prg.Prg;
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

  private static final int TAG_E = 0x4743_4201;
  private static final int TAG_D = 0x4743_4202;
  private static final int TAG_CHUNK = 0x4743_4203;

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

  private long[][] garblerSide(
      Party p, Circuit c, long[][][] values, int n, CyclicBarrier barrier, long[] nanos, long[] traffic) {
    PartyLink link = p.link();
    int evalInput = c.inputCount() - 1;
    int eOff = c.inputOffset(evalInput);
    int eWidth = c.inputWidth(evalInput);
    Prg prg = p.localPrg();
    long[] delta = Garbler.randomDelta(prg);
    int cap = Math.min(capacity, n);
    Garbler gb = new Garbler(c, cap, delta[0], delta[1]);

    // OT phase: evaluator's input labels by correlated OT from the dealer's random OTs.
    await(barrier);
    LinkStats.Snapshot s0 = link.stats().snapshot();
    long t0 = System.nanoTime();
    RandomOts ots = p.correlations().randomOts(eWidth * n);
    long[] e = link.receiveLongs(TAG_E);
    // zero-labels of every input wire, instance-major: ((k·inputBits + w)·2)
    int bits = c.inputBits();
    long[] zero = prg.nextLongs(2 * bits * n);
    long[] dMsg = new long[2 * eWidth * n];
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < eWidth; j++) {
        int ot = k * eWidth + j;
        long eb = -((e[ot >>> 6] >>> (ot & 63)) & 1L);
        int z = (k * bits + eOff + j) * 2;
        long m0l = ots.m0()[2 * ot];
        long m0h = ots.m0()[2 * ot + 1];
        long m1l = ots.m1()[2 * ot];
        long m1h = ots.m1()[2 * ot + 1];
        zero[z] = m0l ^ (eb & (m0l ^ m1l));
        zero[z + 1] = m0h ^ (eb & (m0h ^ m1h));
        dMsg[2 * ot] = m0l ^ m1l ^ delta[0];
        dMsg[2 * ot + 1] = m0h ^ m1h ^ delta[1];
      }
    }
    link.send(TAG_D, dMsg);
    nanos[0] = System.nanoTime() - t0;
    LinkStats.Snapshot ot = link.stats().snapshot().minus(s0);
    traffic[0] = ot.bytesSent() + ot.bytesReceived();

    // Garble phase: all chunks, messages built but not yet sent.
    await(barrier);
    List<long[]> msgs = new ArrayList<>();
    long garble = 0;
    long garbleCpu = 0;
    for (int first = 0; first < n; first += cap) {
      int m = Math.min(cap, n - first);
      int tableLongs = (int) gb.tableLongs(m);
      int garblerBits = bits - eWidth;
      long[] msg = new long[tableLongs + 2 * garblerBits * m + m * c.outputBits()];
      long cg = cpuNanos();
      long tg = System.nanoTime();
      for (int w = 0; w < bits; w++) {
        long[] lw = gb.inputLabels(w);
        for (int k = 0; k < m; k++) {
          int z = ((first + k) * bits + w) * 2;
          lw[2 * k] = zero[z];
          lw[2 * k + 1] = zero[z + 1];
        }
      }
      gb.garble(m, first, msg, 0);
      garble += System.nanoTime() - tg;
      garbleCpu += cpuNanos() - cg;
      // garbler's active input labels, then decoding bits
      int q = tableLongs;
      for (int i = 0; i < c.inputCount(); i++) {
        if (i == evalInput) {
          continue;
        }
        for (int j = 0; j < c.inputWidth(i); j++) {
          int w = c.inputOffset(i) + j;
          for (int k = 0; k < m; k++) {
            long v = -(long) Bits.get(values[i][first + k], j);
            int z = ((first + k) * bits + w) * 2;
            msg[q++] = zero[z] ^ (v & delta[0]);
            msg[q++] = zero[z + 1] ^ (v & delta[1]);
          }
        }
      }
      for (int o = 0; o < c.outputBits(); o++) {
        for (int k = 0; k < m; k++) {
          msg[q++] = gb.decodeBit(o, k);
        }
      }
      msgs.add(msg);
    }
    nanos[1] = garble;
    nanos[2] = garbleCpu;

    // Transfer phase.
    await(barrier);
    LinkStats.Snapshot s1 = link.stats().snapshot();
    for (long[] msg : msgs) {
      link.send(TAG_CHUNK, msg);
    }
    traffic[1] = link.stats().snapshot().minus(s1).bytesSent();
    await(barrier);
    // Evaluate phase runs on party 1 alone.
    await(barrier);
    return null;
  }

  private long[][] evaluatorSide(
      Party p, Circuit c, long[][] myValues, int n, CyclicBarrier barrier, long[] nanos) {
    PartyLink link = p.link();
    int evalInput = c.inputCount() - 1;
    int eOff = c.inputOffset(evalInput);
    int eWidth = c.inputWidth(evalInput);
    int cap = Math.min(capacity, n);
    Evaluator ev = new Evaluator(c, cap);

    await(barrier);
    long t0 = System.nanoTime();
    RandomOts ots = p.correlations().randomOts(eWidth * n);
    long[] e = new long[(eWidth * n + 63) >>> 6];
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < eWidth; j++) {
        int ot = k * eWidth + j;
        e[ot >>> 6] |= ((long) (Bits.get(myValues[k], j) ^ ots.choice(ot))) << (ot & 63);
      }
    }
    link.send(TAG_E, e);
    long[] d = link.receiveLongs(TAG_D);
    long[] mine = new long[2 * eWidth * n];
    for (int ot = 0; ot < eWidth * n; ot++) {
      int k = ot / eWidth;
      long v = -(long) Bits.get(myValues[k], ot - k * eWidth);
      mine[2 * ot] = ots.chosen()[2 * ot] ^ (v & d[2 * ot]);
      mine[2 * ot + 1] = ots.chosen()[2 * ot + 1] ^ (v & d[2 * ot + 1]);
    }
    nanos[0] = System.nanoTime() - t0;

    await(barrier); // garbling
    await(barrier);
    long t1 = System.nanoTime();
    List<long[]> msgs = new ArrayList<>();
    for (int first = 0; first < n; first += cap) {
      msgs.add(link.receiveLongs(TAG_CHUNK));
    }
    nanos[2] = System.nanoTime() - t1;
    await(barrier);

    long[][] outputs = new long[n][];
    long evalNanos = 0;
    long evalCpu = 0;
    int chunk = 0;
    for (int first = 0; first < n; first += cap, chunk++) {
      int m = Math.min(cap, n - first);
      long[] msg = msgs.get(chunk);
      int tableLongs = 4 * c.andCount() * m;
      long ce = cpuNanos();
      long te = System.nanoTime();
      int q = tableLongs;
      for (int i = 0; i < c.inputCount(); i++) {
        if (i == evalInput) {
          continue;
        }
        for (int j = 0; j < c.inputWidth(i); j++) {
          long[] lw = ev.inputLabels(c.inputOffset(i) + j);
          for (int k = 0; k < m; k++) {
            lw[2 * k] = msg[q++];
            lw[2 * k + 1] = msg[q++];
          }
        }
      }
      for (int j = 0; j < eWidth; j++) {
        long[] lw = ev.inputLabels(eOff + j);
        for (int k = 0; k < m; k++) {
          int ot = (first + k) * eWidth + j;
          lw[2 * k] = mine[2 * ot];
          lw[2 * k + 1] = mine[2 * ot + 1];
        }
      }
      ev.evaluate(m, first, msg, 0);
      evalNanos += System.nanoTime() - te;
      evalCpu += cpuNanos() - ce;
      for (int k = 0; k < m; k++) {
        long[][] words = new long[c.outputCount()][];
        int bit = 0;
        for (int o = 0; o < c.outputCount(); o++) {
          words[o] = new long[(c.outputWidth(o) + 63) >>> 6];
          for (int j = 0; j < c.outputWidth(o); j++, bit++) {
            long b = ev.outputLsb(bit, k) ^ msg[q + bit * m + k];
            words[o][j >>> 6] |= b << (j & 63);
          }
        }
        outputs[first + k] = concat(words);
      }
    }
    nanos[3] = evalNanos;
    nanos[1] = evalCpu;
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
    await(barrier);
    LinkStats.Snapshot s0 = p.link().stats().snapshot();
    long t0 = System.nanoTime();
    GcRelu.Offline relu = pool ? null : GcRelu.prepare(p, n, shift);
    GcMaxPool.Offline max = pool ? GcMaxPool.prepare(p, n, w, shift) : null;
    nanos[0] = System.nanoTime() - t0;
    traffic[0] = p.link().stats().snapshot().minus(s0).bytesSent();
    mem[0] = pool ? max.storedBytes() : relu.storedBytes();
    long garbleNanos = pool ? max.engineNanos() : relu.engineNanos();
    long garbleCpu = pool ? max.engineCpuNanos() : relu.engineCpuNanos();
    await(barrier);
    LinkStats.Snapshot s1 = p.link().stats().snapshot();
    long t1 = System.nanoTime();
    long[] y = pool ? GcMaxPool.online(p, max, share) : GcRelu.online(p, relu, share);
    nanos[1] = System.nanoTime() - t1;
    LinkStats.Snapshot d = p.link().stats().snapshot().minus(s1);
    traffic[1] = d.bytesSent();
    traffic[2] = d.rounds();
    long evalNanos = pool ? max.engineNanos() : relu.engineNanos();
    long evalCpu = pool ? max.engineCpuNanos() : relu.engineCpuNanos();
    nanos[2] = p.id() == 0 ? garbleNanos : evalNanos;
    nanos[3] = p.id() == 0 ? garbleCpu : evalCpu;
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
