package org.polyshare.core.gc;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.polyshare.core.correlation.RandomOts;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;
import org.polyshare.core.protocol.Party;

/**
 * ReLU with fused truncation over additive shares, as a garbled circuit in Delphi's
 * offline/online layout. Party 0 garbles, party 1 evaluates.
 *
 * <p><b>Circuit</b> ({@link #circuit}): inputs {@code a} (garbler, 64 bits), {@code r}
 * (garbler's fresh output mask), {@code s} (evaluator); output
 * {@code y = (ReLU(a + s) >> shift) − r} mod 2^64. With {@code a = x − s} this is
 * {@code (ReLU(x) >> shift) − r}: party 1 keeps {@code y}, party 0 keeps {@code r}, additive
 * shares of {@code ReLU(x) >> shift} (exact floor division, no truncation error).
 *
 * <p><b>Offline</b> ({@link #prepare}), input-independent: both parties draw {@code 64n} random
 * OTs from the dealer. Party 1 picks its random {@code s}, sends {@code e = s ⊕ c} (its OT choice
 * bits); party 0 then fixes the zero-label of each {@code s}-wire to {@code m_e} and sends
 * {@code D = m0 ⊕ m1 ⊕ Δ}, so party 1's active label is {@code m_c ⊕ s·D} (correlated OT from
 * random OT: one label per bit instead of two; {@code m_{1−c}} hides Δ). Party 0's {@code r}-wire
 * active labels are expanded by both from a fresh seed party 0 sends, with zero-labels set to
 * {@code P ⊕ r·Δ} — the same joint distribution as sending random active labels. Party 0 garbles
 * all instances and sends the tables and decoding bits.
 *
 * <p><b>Online</b> ({@link #online}): party 1 sends {@code x1 − s} (8 bytes per ReLU); party 0
 * forms {@code a = x0 + x1 − s} and sends its 64 active labels (1 KiB per ReLU); party 1
 * evaluates. One round trip, one message each way per layer.
 */
public final class GcRelu {
  /** Instances garbled per engine call: enough for AES at full speed, small enough for cache. */
  static final int CHUNK = 512;

  private static final int TAG_E = 0x4743_5201;
  private static final int TAG_SEED = 0x4743_5202;
  private static final int TAG_TABLES = 0x4743_5203;
  private static final int TAG_MASKED = 0x4743_5204;
  private static final int TAG_LABELS = 0x4743_5205;

  private static final int BITS = 64;
  private static final ConcurrentMap<Integer, Circuit> CIRCUITS = new ConcurrentHashMap<>();

  private GcRelu() {}

  /**
   * The ReLU circuit for a right shift of {@code shiftBits}: inputs a, r, s (64 bits each, in
   * that order), output {@code (ReLU(a + s) >> shiftBits) − r}. AND gates: 63 (adder) +
   * (63 − shiftBits) (zeroing the kept bits; bit 63 of a ReLU is always 0) + 63 (subtractor)
   * = {@code 189 − shiftBits}.
   */
  public static Circuit circuit(int shiftBits) {
    Preconditions.checkArgument(
        shiftBits >= 0 && shiftBits < BITS, "shift must be in [0, 63], got %s", shiftBits);
    return CIRCUITS.computeIfAbsent(shiftBits, GcRelu::buildCircuit);
  }

  private static Circuit buildCircuit(int shift) {
    CircuitBuilder b = new CircuitBuilder("relu-shift" + shift);
    int[] a = b.input(BITS);
    int[] r = b.input(BITS);
    int[] s = b.input(BITS);
    int[] x = b.add(a, s);
    int positive = b.not(x[BITS - 1]);
    // ReLU(x) = x ∧ ¬sign; its sign bit is x63 ∧ ¬x63 = 0, so only bits [shift, 63) cost an AND.
    int[] relu = new int[BITS];
    for (int j = 0; j < BITS - 1; j++) {
      relu[j] = j >= shift ? b.and(x[j], positive) : x[j];
    }
    relu[BITS - 1] = Circuit.ZERO;
    // A non-negative value: arithmetic and logical shifts agree; pure wiring.
    int[] shifted = CircuitBuilder.shiftRightArithmetic(relu, shift);
    b.output(b.sub(shifted, r));
    return b.build();
  }

  /** AND gates per ReLU for this shift. */
  public static int andGates(int shiftBits) {
    return circuit(shiftBits).andCount();
  }

  /**
   * One party's precomputed material for {@code n} ReLUs. Single use: the garbled circuits are
   * consumed by one {@link #online} call (evaluating a garbled circuit twice leaks).
   */
  public static final class Offline {
    private final int partyId;
    private final int n;
    private final int shift;
    // garbler
    private final long deltaLo;
    private final long deltaHi;
    private final long[] aZero; // zero-labels of a-wires, instance-major: ((k·64)+i)·2
    private final long[] mask; // r
    // evaluator
    private final long[] s;
    private final long[] sActive; // instance-major like aZero
    private final long[] rActive;
    private final long[] decode; // one word of decoding bits per instance
    private final List<long[]> tables;
    private boolean used;

    private Offline(
        int partyId, int n, int shift, long deltaLo, long deltaHi, long[] aZero, long[] mask,
        long[] s, long[] sActive, long[] rActive, long[] decode, List<long[]> tables) {
      this.partyId = partyId;
      this.n = n;
      this.shift = shift;
      this.deltaLo = deltaLo;
      this.deltaHi = deltaHi;
      this.aZero = aZero;
      this.mask = mask;
      this.s = s;
      this.sActive = sActive;
      this.rActive = rActive;
      this.decode = decode;
      this.tables = tables;
    }

    public int partyId() {
      return partyId;
    }

    /** Number of ReLUs prepared. */
    public int size() {
      return n;
    }

    public int shiftBits() {
      return shift;
    }

    /** Whether {@link #online} has consumed this material. */
    public boolean isUsed() {
      return used;
    }

    /** Bytes of precomputed material this party holds (memory, not traffic). */
    public long storedBytes() {
      long longs = 0;
      for (long[] a : new long[][] {aZero, mask, s, sActive, rActive, decode}) {
        longs += a == null ? 0 : a.length;
      }
      if (tables != null) {
        for (long[] t : tables) {
          longs += t.length;
        }
      }
      return 8 * longs;
    }

    @Override
    public String toString() {
      return "GcRelu.Offline[party " + partyId + ", " + n + " ReLUs, shift " + shift
          + (used ? ", used]" : "]");
    }
  }

  /**
   * All offline work for {@code n} ReLUs with a right shift of {@code shiftBits}: random OTs,
   * garbling and table transfer. Both parties call it with the same arguments.
   */
  public static Offline prepare(Party party, int n, int shiftBits) {
    Preconditions.checkArgument(n >= 0, "number of ReLUs must be non-negative, got %s", n);
    Preconditions.checkArgument(
        n <= Integer.MAX_VALUE / (2 * BITS), "%s ReLUs in one batch is too many; split the layer", n);
    Circuit c = circuit(shiftBits);
    if (n == 0) {
      return new Offline(party.id(), 0, shiftBits, 0, 0, new long[0], new long[0], new long[0],
          new long[0], new long[0], new long[0], new ArrayList<>());
    }
    RandomOts ots = party.correlations().randomOts(BITS * n);
    checkOts(party, ots, BITS * n);
    return party.id() == 0 ? garble(party, c, n, shiftBits, ots) : receive(party, c, n, shiftBits, ots);
  }

  private static void checkOts(Party party, RandomOts ots, int count) {
    if (ots.count() != count || ots.isSender() != (party.id() == 0)) {
      throw new IllegalStateException(
          "party " + party.id() + " got " + ots.count() + " random OTs as "
              + (ots.isSender() ? "sender" : "receiver") + "; GC ReLU needs " + count
              + " with party 0 as sender");
    }
  }

  private static Offline garble(Party party, Circuit c, int n, int shift, RandomOts ots) {
    PartyLink link = party.link();
    Prg prg = party.localPrg();
    long[] delta = Garbler.randomDelta(prg);
    final long dLo = delta[0];
    final long dHi = delta[1];
    long[] mask = prg.nextLongs(n);
    long[] aZero = prg.nextLongs(2 * BITS * n);
    Seed rSeed = Seed.random();
    link.send(TAG_SEED, rSeed.bytes());
    Prg rPrg = new Prg(rSeed);
    long[] e = link.receiveLongs(TAG_E);
    checkLength(e, n, "masked OT choices");

    Garbler gb = new Garbler(c, Math.min(CHUNK, n), dLo, dHi);
    long[] l = gb.labels();
    long[] rLabels = new long[2 * BITS * gb.capacity()];
    long[] m0 = ots.m0();
    long[] m1 = ots.m1();
    for (int first = 0; first < n; first += gb.capacity()) {
      int m = Math.min(gb.capacity(), n - first);
      rPrg.fill(rLabels, 0, 2 * BITS * m);
      int andLongs = (int) gb.tableLongs(m);
      // message: tables ‖ D (2 longs per s-bit, instance-major) ‖ decoding words
      long[] msg = new long[andLongs + 2 * BITS * m + m];
      for (int i = 0; i < BITS; i++) {
        int ia = gb.inputIndex(i);
        int ir = gb.inputIndex(BITS + i);
        int is = gb.inputIndex(2 * BITS + i);
        for (int k = 0; k < m; k++) {
          int g = first + k;
          int src = (g * BITS + i) * 2;
          l[ia + 2 * k] = aZero[src];
          l[ia + 2 * k + 1] = aZero[src + 1];
          // r: evaluator holds P; zero-label P ⊕ r·Δ
          long rb = -((mask[g] >>> i) & 1L);
          int pr = (k * BITS + i) * 2;
          l[ir + 2 * k] = rLabels[pr] ^ (rb & dLo);
          l[ir + 2 * k + 1] = rLabels[pr + 1] ^ (rb & dHi);
          // s: zero-label m_e, D = m0 ⊕ m1 ⊕ Δ
          long eb = -((e[g] >>> i) & 1L);
          long x0Lo = m0[src] ^ (eb & (m0[src] ^ m1[src]));
          long x0Hi = m0[src + 1] ^ (eb & (m0[src + 1] ^ m1[src + 1]));
          l[is + 2 * k] = x0Lo;
          l[is + 2 * k + 1] = x0Hi;
          int pd = andLongs + pr;
          msg[pd] = m0[src] ^ m1[src] ^ dLo;
          msg[pd + 1] = m0[src + 1] ^ m1[src + 1] ^ dHi;
        }
      }
      gb.garble(m, first, msg, 0);
      int dec = andLongs + 2 * BITS * m;
      for (int k = 0; k < m; k++) {
        long w = 0;
        for (int q = 0; q < BITS; q++) {
          w |= gb.decodeBit(q, k) << q;
        }
        msg[dec + k] = w;
      }
      link.send(TAG_TABLES, msg);
    }
    return new Offline(0, n, shift, dLo, dHi, aZero, mask, null, null, null, null, null);
  }

  private static Offline receive(Party party, Circuit c, int n, int shift, RandomOts ots) {
    PartyLink link = party.link();
    long[] s = party.localPrg().nextLongs(n);
    long[] choices = ots.choices();
    long[] e = new long[n];
    for (int k = 0; k < n; k++) {
      e[k] = s[k] ^ choices[k]; // OT bits 64k..64k+63 belong to ReLU k
    }
    link.send(TAG_E, e);
    Prg rPrg = new Prg(Seed.of(link.receiveBytes(TAG_SEED)));
    long[] rActive = new long[2 * BITS * n];
    long[] sActive = new long[2 * BITS * n];
    long[] decode = new long[n];
    long[] chosen = ots.chosen();
    List<long[]> tables = new ArrayList<>();
    int cap = Math.min(CHUNK, n);
    for (int first = 0; first < n; first += cap) {
      int m = Math.min(cap, n - first);
      int andLongs = 4 * c.andCount() * m;
      long[] msg = link.receiveLongs(TAG_TABLES);
      checkLength(msg, andLongs + 2 * BITS * m + m, "garbled tables");
      rPrg.fill(rActive, 2 * BITS * first, 2 * BITS * m);
      for (int k = 0; k < m; k++) {
        int g = first + k;
        for (int i = 0; i < BITS; i++) {
          int idx = (g * BITS + i) * 2;
          int pd = andLongs + (k * BITS + i) * 2;
          long sb = -((s[g] >>> i) & 1L);
          sActive[idx] = chosen[idx] ^ (sb & msg[pd]);
          sActive[idx + 1] = chosen[idx + 1] ^ (sb & msg[pd + 1]);
        }
        decode[g] = msg[andLongs + 2 * BITS * m + k];
      }
      tables.add(msg);
    }
    return new Offline(1, n, shift, 0, 0, null, null, s, sActive, rActive, decode, tables);
  }

  private static void checkLength(long[] msg, long expect, String what) {
    if (msg.length != expect) {
      throw new IllegalStateException(
          "GC ReLU: received " + msg.length + " longs of " + what + ", expected " + expect
              + " (the parties disagree on the number of ReLUs or the shift)");
    }
  }

  /**
   * Online phase: returns this party's additive share of {@code ReLU(x) >> shiftBits} for
   * {@code x = share0 + share1}. Consumes {@code offline}.
   */
  public static long[] online(Party party, Offline offline, long[] myShare) {
    Preconditions.checkNotNull(offline, "offline material is required");
    Preconditions.checkArgument(
        offline.partyId == party.id(),
        "offline material of party %s given to party %s",
        offline.partyId,
        party.id());
    Preconditions.checkArgument(
        myShare.length == offline.n,
        "%s shares given but the offline phase prepared %s ReLUs",
        myShare.length,
        offline.n);
    Preconditions.checkState(
        !offline.used, "this GC ReLU material was already used; prepare fresh material per call");
    offline.used = true;
    int n = offline.n;
    if (n == 0) {
      return new long[0];
    }
    PartyLink link = party.link();
    if (party.id() == 0) {
      long[] d = link.receiveLongs(TAG_MASKED);
      checkLength(d, n, "masked shares");
      long[] labels = new long[2 * BITS * n];
      long[] z = offline.aZero;
      for (int k = 0; k < n; k++) {
        long a = myShare[k] + d[k];
        for (int i = 0; i < BITS; i++) {
          int idx = (k * BITS + i) * 2;
          long bit = -((a >>> i) & 1L);
          labels[idx] = z[idx] ^ (bit & offline.deltaLo);
          labels[idx + 1] = z[idx + 1] ^ (bit & offline.deltaHi);
        }
      }
      link.send(TAG_LABELS, labels);
      return offline.mask.clone();
    }
    long[] d = new long[n];
    for (int k = 0; k < n; k++) {
      d[k] = myShare[k] - offline.s[k];
    }
    link.send(TAG_MASKED, d);
    long[] aActive = link.receiveLongs(TAG_LABELS);
    checkLength(aActive, 2L * BITS * n, "input labels");
    return evaluateAll(circuit(offline.shift), offline, aActive);
  }

  private static long[] evaluateAll(Circuit c, Offline off, long[] aActive) {
    int n = off.n;
    Evaluator ev = new Evaluator(c, Math.min(CHUNK, n));
    long[] l = ev.labels();
    long[] y = new long[n];
    int chunk = 0;
    for (int first = 0; first < n; first += ev.capacity(), chunk++) {
      int m = Math.min(ev.capacity(), n - first);
      for (int i = 0; i < BITS; i++) {
        int ia = ev.inputIndex(i);
        int ir = ev.inputIndex(BITS + i);
        int is = ev.inputIndex(2 * BITS + i);
        for (int k = 0; k < m; k++) {
          int src = ((first + k) * BITS + i) * 2;
          l[ia + 2 * k] = aActive[src];
          l[ia + 2 * k + 1] = aActive[src + 1];
          l[ir + 2 * k] = off.rActive[src];
          l[ir + 2 * k + 1] = off.rActive[src + 1];
          l[is + 2 * k] = off.sActive[src];
          l[is + 2 * k + 1] = off.sActive[src + 1];
        }
      }
      ev.evaluate(m, first, off.tables.get(chunk), 0);
      for (int k = 0; k < m; k++) {
        long w = 0;
        for (int q = 0; q < BITS; q++) {
          w |= ev.outputLsb(q, k) << q;
        }
        y[first + k] = w ^ off.decode[first + k];
      }
    }
    return y;
  }
}
