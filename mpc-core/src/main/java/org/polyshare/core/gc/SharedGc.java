package org.polyshare.core.gc;

import com.google.common.base.Preconditions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.polyshare.core.correlation.RandomOts;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;
import org.polyshare.core.protocol.Party;

/**
 * The Delphi-style two-party protocol shared by {@link GcRelu} and {@link GcMaxPool}: a function
 * of {@code k} additively shared 64-bit values per instance, computed by a garbled circuit whose
 * output party 1 learns masked by party 0's fresh {@code r}.
 *
 * <p>Circuit inputs, in order: {@code a_0..a_{k−1}} (party 0, {@code a_i = x_i − s_i}, known
 * online), {@code u = −r} (party 0), {@code s_0..s_{k−1}} (party 1's offline randomness); one
 * 64-bit output {@code f(a + s) + u}. See {@link GcRelu} for the offline/online split and the two
 * label tricks (correlated OT from random OT for {@code s}; seed-expanded active labels for
 * {@code u}).
 *
 * <p>Message layout: per-instance values are instance-major; labels of instance {@code g}, word
 * {@code i}, bit {@code j} at {@code ((g·k + i)·64 + j)·2}. OT number {@code (g·k + i)·64 + j}
 * carries that {@code s}-bit, so the receiver's choice word {@code g·k + i} lines up with
 * {@code s_{g,i}}.
 */
final class SharedGc {
  /** Instances garbled per engine call: enough for AES at full speed, small enough for cache. */
  static final int CHUNK = 256;

  static final int BITS = 64;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

  private SharedGc() {}

  /** Message tags of one protocol family (distinct per family so streams never mix). */
  record Tags(int e, int seed, int tables, int masked, int labels) {
    static Tags of(int base) {
      return new Tags(base + 1, base + 2, base + 3, base + 4, base + 5);
    }
  }

  /** One party's precomputed material for {@code n} instances. */
  static final class Material {
    final int partyId;
    final int n;
    final int k;
    // party 0
    long deltaLo;
    long deltaHi;
    long[] aZero;
    long[] mask;
    // party 1
    long[] s;
    long[] sActive;
    long[] uActive;
    long[] decode;
    List<long[]> tables;
    boolean used;
    long engineNanos;
    long engineCpuNanos;

    Material(int partyId, int n, int k) {
      this.partyId = partyId;
      this.n = n;
      this.k = k;
    }

    long storedBytes() {
      long longs = 0;
      for (long[] a : new long[][] {aZero, mask, s, sActive, uActive, decode}) {
        longs += a == null ? 0 : a.length;
      }
      if (tables != null) {
        for (long[] t : tables) {
          longs += t.length;
        }
      }
      return 8 * longs;
    }
  }

  static void checkCircuit(Circuit c, int k) {
    Preconditions.checkArgument(
        c.inputCount() == 2 * k + 1 && c.outputBits() == BITS,
        "%s: a shared-input circuit needs %s 64-bit inputs and one 64-bit output",
        c.name(),
        2 * k + 1);
    for (int i = 0; i < c.inputCount(); i++) {
      Preconditions.checkArgument(c.inputWidth(i) == BITS, "%s: input %s is not 64 bits", c.name(), i);
    }
  }

  static Material prepare(Party party, Circuit c, int k, int n, Tags tags) {
    checkCircuit(c, k);
    Preconditions.checkArgument(n >= 0, "number of instances must be non-negative, got %s", n);
    Preconditions.checkArgument(
        (long) n * k * BITS * 2 < Integer.MAX_VALUE,
        "%s instances of %s values in one batch is too many; split the layer",
        n,
        k);
    Material mat = new Material(party.id(), n, k);
    if (n == 0) {
      return mat;
    }
    RandomOts ots = party.correlations().randomOts(BITS * k * n);
    if (ots.count() != BITS * k * n || ots.isSender() != (party.id() == 0)) {
      throw new IllegalStateException(
          "party " + party.id() + " got " + ots.count() + " random OTs as "
              + (ots.isSender() ? "sender" : "receiver") + "; the garbled circuit needs "
              + BITS * k * n + " with party 0 as sender");
    }
    if (party.id() == 0) {
      garble(party, c, mat, ots, tags);
    } else {
      receive(party, c, mat, ots, tags);
    }
    return mat;
  }

  private static void garble(Party party, Circuit c, Material mat, RandomOts ots, Tags tags) {
    final int n = mat.n;
    final int k = mat.k;
    final int kb = k * BITS; // s- (and a-) bits per instance
    PartyLink link = party.link();
    Prg prg = party.localPrg();
    long[] delta = Garbler.randomDelta(prg);
    final long dLo = delta[0];
    final long dHi = delta[1];
    long[] mask = prg.nextLongs(n);
    long[] aZero = prg.nextLongs(2 * kb * n);
    Seed uSeed = Seed.random();
    link.send(tags.seed(), uSeed.bytes());
    Prg uPrg = new Prg(uSeed);
    long[] e = link.receiveLongs(tags.e());
    checkLength(e, (long) n * k, "masked OT choices");

    Garbler gb = new Garbler(c, Math.min(CHUNK, n), dLo, dHi);
    long[] uLabels = new long[2 * BITS * gb.capacity()];
    long[] m0 = ots.m0();
    long[] m1 = ots.m1();
    long engine = 0;
    long engineCpu = 0;
    for (int first = 0; first < n; first += gb.capacity()) {
      int m = Math.min(gb.capacity(), n - first);
      uPrg.fill(uLabels, 0, 2 * BITS * m);
      int andLongs = (int) gb.tableLongs(m);
      // message: tables ‖ D (2 longs per s-bit, instance-major) ‖ decoding words
      long[] msg = new long[andLongs + 2 * kb * m + m];
      for (int t = 0; t < kb; t++) {
        long[] la = gb.inputLabels(t);
        long[] ls = gb.inputLabels(kb + BITS + t);
        int word = t >>> 6;
        int bit = t & 63;
        for (int q = 0; q < m; q++) {
          int g = first + q;
          int src = (g * kb + t) * 2;
          la[2 * q] = aZero[src];
          la[2 * q + 1] = aZero[src + 1];
          // s: zero-label m_e, D = m0 ⊕ m1 ⊕ Δ
          long eb = -((e[g * k + word] >>> bit) & 1L);
          ls[2 * q] = m0[src] ^ (eb & (m0[src] ^ m1[src]));
          ls[2 * q + 1] = m0[src + 1] ^ (eb & (m0[src + 1] ^ m1[src + 1]));
          int pd = andLongs + (q * kb + t) * 2;
          msg[pd] = m0[src] ^ m1[src] ^ dLo;
          msg[pd + 1] = m0[src + 1] ^ m1[src + 1] ^ dHi;
        }
      }
      for (int j = 0; j < BITS; j++) {
        long[] lu = gb.inputLabels(kb + j);
        for (int q = 0; q < m; q++) {
          // u = −r: party 1 holds P (from the seed); zero-label P ⊕ u·Δ
          long ub = -((-mask[first + q] >>> j) & 1L);
          int pu = (q * BITS + j) * 2;
          lu[2 * q] = uLabels[pu] ^ (ub & dLo);
          lu[2 * q + 1] = uLabels[pu + 1] ^ (ub & dHi);
        }
      }
      long c0 = cpuNanos();
      long t0 = System.nanoTime();
      gb.garble(m, first, msg, 0);
      engine += System.nanoTime() - t0;
      engineCpu += cpuNanos() - c0;
      int dec = andLongs + 2 * kb * m;
      for (int q = 0; q < m; q++) {
        long w = 0;
        for (int j = 0; j < BITS; j++) {
          w |= gb.decodeBit(j, q) << j;
        }
        msg[dec + q] = w;
      }
      link.send(tags.tables(), msg);
    }
    mat.deltaLo = dLo;
    mat.deltaHi = dHi;
    mat.aZero = aZero;
    mat.mask = mask;
    mat.engineNanos = engine;
    mat.engineCpuNanos = CPU_TIME ? engineCpu : -1;
  }

  private static void receive(Party party, Circuit c, Material mat, RandomOts ots, Tags tags) {
    final int n = mat.n;
    final int k = mat.k;
    final int kb = k * BITS;
    PartyLink link = party.link();
    long[] s = party.localPrg().nextLongs(n * k);
    long[] choices = ots.choices();
    long[] e = new long[n * k];
    for (int w = 0; w < e.length; w++) {
      e[w] = s[w] ^ choices[w];
    }
    link.send(tags.e(), e);
    Prg uPrg = new Prg(Seed.of(link.receiveBytes(tags.seed())));
    long[] uActive = new long[2 * BITS * n];
    long[] sActive = new long[2 * kb * n];
    long[] decode = new long[n];
    long[] chosen = ots.chosen();
    List<long[]> tables = new ArrayList<>();
    int cap = Math.min(CHUNK, n);
    for (int first = 0; first < n; first += cap) {
      int m = Math.min(cap, n - first);
      int andLongs = 4 * c.andCount() * m;
      long[] msg = link.receiveLongs(tags.tables());
      checkLength(msg, (long) andLongs + 2L * kb * m + m, "garbled tables");
      uPrg.fill(uActive, 2 * BITS * first, 2 * BITS * m);
      for (int q = 0; q < m; q++) {
        int g = first + q;
        for (int t = 0; t < kb; t++) {
          int idx = (g * kb + t) * 2;
          int pd = andLongs + (q * kb + t) * 2;
          long sb = -((s[g * k + (t >>> 6)] >>> (t & 63)) & 1L);
          sActive[idx] = chosen[idx] ^ (sb & msg[pd]);
          sActive[idx + 1] = chosen[idx + 1] ^ (sb & msg[pd + 1]);
        }
        decode[g] = msg[andLongs + 2 * kb * m + q];
      }
      // keep only the tables: D and the decoding words are consumed
      tables.add(andLongs == msg.length ? msg : Arrays.copyOf(msg, andLongs));
    }
    mat.s = s;
    mat.sActive = sActive;
    mat.uActive = uActive;
    mat.decode = decode;
    mat.tables = tables;
  }

  static void checkLength(long[] msg, long expect, String what) {
    if (msg.length != expect) {
      throw new IllegalStateException(
          "garbled circuit protocol: received " + msg.length + " longs of " + what + ", expected "
              + expect + " (the parties disagree on the batch size or the circuit)");
    }
  }

  /** Online phase: this party's additive share of the function's output per instance. */
  static long[] online(Party party, Circuit c, Material mat, long[] myShare, Tags tags) {
    Preconditions.checkArgument(
        mat.partyId == party.id(),
        "offline material of party %s given to party %s",
        mat.partyId,
        party.id());
    Preconditions.checkArgument(
        myShare.length == (long) mat.n * mat.k,
        "%s shares given but the offline phase prepared %s instances of %s values",
        myShare.length,
        mat.n,
        mat.k);
    Preconditions.checkState(
        !mat.used, "this garbled-circuit material was already used; prepare fresh material per call");
    mat.used = true;
    final int n = mat.n;
    final int k = mat.k;
    final int kb = k * BITS;
    if (n == 0) {
      return new long[0];
    }
    PartyLink link = party.link();
    if (party.id() == 0) {
      long[] d = link.receiveLongs(tags.masked());
      checkLength(d, (long) n * k, "masked shares");
      long[] labels = new long[2 * kb * n];
      long[] z = mat.aZero;
      final long dLo = mat.deltaLo;
      final long dHi = mat.deltaHi;
      for (int w = 0; w < n * k; w++) {
        long a = myShare[w] + d[w];
        for (int j = 0; j < BITS; j++) {
          int idx = (w * BITS + j) * 2;
          long bit = -((a >>> j) & 1L);
          labels[idx] = z[idx] ^ (bit & dLo);
          labels[idx + 1] = z[idx + 1] ^ (bit & dHi);
        }
      }
      link.send(tags.labels(), labels);
      return mat.mask.clone();
    }
    long[] d = new long[n * k];
    for (int w = 0; w < d.length; w++) {
      d[w] = myShare[w] - mat.s[w];
    }
    link.send(tags.masked(), d);
    long[] aActive = link.receiveLongs(tags.labels());
    checkLength(aActive, 2L * kb * n, "input labels");
    return evaluateAll(c, mat, aActive);
  }

  private static long[] evaluateAll(Circuit c, Material mat, long[] aActive) {
    final int n = mat.n;
    final int kb = mat.k * BITS;
    Evaluator ev = new Evaluator(c, Math.min(CHUNK, n));
    long[] y = new long[n];
    mat.engineNanos = 0;
    mat.engineCpuNanos = 0;
    int chunk = 0;
    for (int first = 0; first < n; first += ev.capacity(), chunk++) {
      int m = Math.min(ev.capacity(), n - first);
      for (int t = 0; t < kb; t++) {
        long[] la = ev.inputLabels(t);
        long[] ls = ev.inputLabels(kb + BITS + t);
        for (int q = 0; q < m; q++) {
          int src = ((first + q) * kb + t) * 2;
          la[2 * q] = aActive[src];
          la[2 * q + 1] = aActive[src + 1];
          ls[2 * q] = mat.sActive[src];
          ls[2 * q + 1] = mat.sActive[src + 1];
        }
      }
      for (int j = 0; j < BITS; j++) {
        long[] lu = ev.inputLabels(kb + j);
        for (int q = 0; q < m; q++) {
          int src = ((first + q) * BITS + j) * 2;
          lu[2 * q] = mat.uActive[src];
          lu[2 * q + 1] = mat.uActive[src + 1];
        }
      }
      long c0 = cpuNanos();
      long t0 = System.nanoTime();
      ev.evaluate(m, first, mat.tables.get(chunk), 0);
      mat.engineNanos += System.nanoTime() - t0;
      mat.engineCpuNanos += cpuNanos() - c0;
      for (int q = 0; q < m; q++) {
        long w = 0;
        for (int j = 0; j < BITS; j++) {
          w |= ev.outputLsb(j, q) << j;
        }
        y[first + q] = w ^ mat.decode[first + q];
      }
    }
    if (!CPU_TIME) {
      mat.engineCpuNanos = -1;
    }
    return y;
  }

  private static long cpuNanos() {
    return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : 0;
  }
}
