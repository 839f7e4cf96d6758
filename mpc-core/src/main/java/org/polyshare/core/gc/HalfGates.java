package org.polyshare.core.gc;

import com.google.common.base.Preconditions;
import java.nio.charset.StandardCharsets;
import org.polyshare.core.prg.FixedKeyAes;
import org.polyshare.core.store.LongFile;

/**
 * What the two sides of half-gates garbling share: the label slots of many instances of one {@link
 * Circuit} (layout in {@link Garbler}'s class comment), the AES buffers and the sweep over the
 * gates. XOR gates are free on both sides ({@code C = A ⊕ B} on zero-labels and on active labels
 * alike), so the sweep does them here; {@link Garbler} and {@link Evaluator} differ only in INV and
 * AND gates.
 */
abstract sealed class HalfGates permits Garbler, Evaluator {
  /** Beyond this the AES buffers would not fit an array; a few hundred is the sweet spot. */
  public static final int MAX_CAPACITY = 1 << 24;

  final Circuit circuit;
  final int capacity;
  final Tweaks tweaks;
  final long[][] slots;
  final byte[] keys;
  final byte[] perm;

  /** π's key: public and constant (the DCF's PRG uses another, for domain separation). */
  private static final byte[] KEY = "PolyShare GC key".getBytes(StandardCharsets.US_ASCII);

  final FixedKeyAes aes = new FixedKeyAes(KEY);

  /** One AND gate's tables read from a file (evaluator), made on first use. */
  private long[] gateTables;

  /**
   * @param blockBytes AES input bytes per instance and AND gate (64 garbling, 32 evaluating)
   */
  HalfGates(Circuit circuit, int capacity, long nonce, int blockBytes) {
    Preconditions.checkArgument(capacity > 0, "capacity must be positive, got %s", capacity);
    Preconditions.checkArgument(
        capacity <= MAX_CAPACITY,
        "capacity %s exceeds %s instances per call",
        capacity,
        MAX_CAPACITY);
    this.circuit = circuit;
    this.capacity = capacity;
    this.tweaks = new Tweaks(nonce);
    this.slots = new long[circuit.slotCount()][2 * capacity];
    this.keys = new byte[blockBytes * capacity];
    this.perm = new byte[blockBytes * capacity];
  }

  public Circuit circuit() {
    return circuit;
  }

  public int capacity() {
    return capacity;
  }

  /**
   * Where to write input bit {@code inputBit}'s labels (zero-labels for the garbler, active labels
   * for the evaluator) before a sweep: instance {@code k}'s label at {@code [2k]} (lo) and {@code
   * [2k+1]} (hi).
   */
  public long[] inputLabels(int inputBit) {
    return slots[circuit.inputSlot(inputBit)];
  }

  /** Output bit {@code q}'s labels after a sweep, or null for a constant output. */
  public long[] outputLabels(int q) {
    int s = circuit.outputSlot(q);
    return s < 0 ? null : slots[s];
  }

  /** Number of longs of garbled tables for {@code n} instances: 4 per AND gate per instance. */
  public long tableLongs(int n) {
    return 4L * circuit.andCount() * n;
  }

  /**
   * Runs every gate over instances {@code firstInstance .. +n−1}; the {@code t}-th AND gate's
   * tables are at {@code tablesOff + 4·t·n} (written by the garbler, read by the evaluator).
   */
  final void sweep(int n, long firstInstance, long[] tables, int tablesOff) {
    Preconditions.checkArgument(
        tablesOff >= 0 && tablesOff + tableLongs(n) <= tables.length,
        "table array too short: need %s longs from %s, have %s",
        tableLongs(n),
        tablesOff,
        tables.length);
    sweep(n, firstInstance, tables, tablesOff, null, 0);
  }

  /**
   * As {@link #sweep(int, long, long[], int)} with the tables in {@code file} from long {@code at}:
   * each AND gate's {@code 4n} longs (8 KiB for 256 instances) are copied into one reused buffer
   * just before the gate, so the gate loop reads a primitive array that sits in L1 and the chunk's
   * tables pass through the cache once. (Copying a whole chunk's tables first — 1.4 MB for 256
   * ReLUs — evicts them from L2 before the gates reach them and so reads memory twice.)
   */
  final void sweep(int n, long firstInstance, LongFile file, long at) {
    Preconditions.checkArgument(
        at >= 0 && at + tableLongs(n) <= file.length(),
        "table file too short: need %s longs from %s, have %s",
        tableLongs(n),
        at,
        file.length());
    if (gateTables == null) {
      gateTables = new long[4 * capacity];
    }
    sweep(n, firstInstance, gateTables, 0, file, at);
  }

  /** The sweep: AND gate {@code t}'s tables from {@code file} (if not null) or {@code tables}. */
  private void sweep(
      int n, long firstInstance, long[] tables, int tablesOff, LongFile file, long at) {
    Preconditions.checkArgument(n > 0 && n <= capacity, "n = %s outside [1, %s]", n, capacity);
    Tweaks.checkInstances(firstInstance, n);
    final byte[] ops = circuit.ops();
    final int[] s0 = circuit.slotIn0();
    final int[] s1 = circuit.slotIn1();
    final int[] so = circuit.slotOut();
    final long[][] sl = slots;
    final int len = 2 * n;
    int t = 0;
    for (int g = 0; g < ops.length; g++) {
      final long[] a = sl[s0[g]];
      final long[] o = sl[so[g]];
      switch (ops[g]) {
        case Circuit.XOR -> {
          final long[] b = sl[s1[g]];
          for (int i = 0; i < len; i++) {
            o[i] = a[i] ^ b[i];
          }
        }
        case Circuit.INV -> invGate(a, o, len);
        default -> {
          if (file != null) {
            file.get(at + 4L * t * n, tables, 0, 4 * n);
            andGate(a, sl[s1[g]], o, n, firstInstance, t, tables, 0);
          } else {
            andGate(a, sl[s1[g]], o, n, firstInstance, t, tables, tablesOff + 4 * t * n);
          }
          t++;
        }
      }
    }
  }

  /*
   * Dispatch: the AND call above is made once per gate for all n instances (a few hundred), never
   * per instance. HotSpot's C2 compiles it as a bimorphic, type-guarded direct call when both
   * engines run in one JVM (monomorphic in a party process, which runs one); neither andGate can be
   * inlined into the sweep (751 and 481 bytecodes, above FreqInlineSize), nor could it be in a
   * sweep written per engine, while everything inside andGate (tweaks, doubling, the VarHandle
   * stores) is inlined. Checked with -XX:+PrintInlining, not timed.
   */

  /** {@code o = ¬a} on this side's labels, {@code len = 2n} longs. */
  abstract void invGate(long[] a, long[] o, int len);

  /**
   * The {@code t}-th AND gate {@code lo = la ∧ lb} of {@code n} instances, tables at {@code
   * tab[tabOff]}.
   */
  abstract void andGate(
      long[] la, long[] lb, long[] lo, int n, long first, int t, long[] tab, int tabOff);
}
