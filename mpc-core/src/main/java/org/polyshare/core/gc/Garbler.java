package org.polyshare.core.gc;

import static org.polyshare.core.prg.FixedKeyAes.LONGS;

import com.google.common.base.Preconditions;
import org.polyshare.core.prg.FixedKeyAes;
import org.polyshare.core.prg.Prg;

/**
 * Half-gates garbling (Zahur–Rosulek–Evans 2015) of many instances of one {@link Circuit} at once.
 *
 * <p>Labels are 128 bits, two longs {@code (lo, hi)}. Free-XOR: every wire {@code w} has a
 * zero-label {@code W0} and one-label {@code W1 = W0 ⊕ Δ} for one global secret Δ with {@code
 * lsb(Δ) = 1}, so {@code lsb(W0) ≠ lsb(W1)} is the point-and-permute bit. XOR gates are {@code C0 =
 * A0 ⊕ B0}, INV gates {@code C0 = A0 ⊕ Δ}; neither sends anything. An AND gate {@code c = a ∧ b}
 * with {@code pa = lsb(A0)}, {@code pb = lsb(B0)} sends two ciphertexts:
 *
 * <pre>
 *   TG = H(A0, j) ⊕ H(A1, j) ⊕ pb·Δ          WG0 = H(A0, j) ⊕ pa·TG
 *   TE = H(B0, j') ⊕ H(B1, j') ⊕ A0          WE0 = H(B0, j') ⊕ pb·(TE ⊕ A0) = H(B_pb, j')
 *   C0 = WG0 ⊕ WE0
 * </pre>
 *
 * with {@code H(L, T) = π(K) ⊕ K}, {@code K = 2L ⊕ T} (doubling in GF(2^128)), π fixed-key AES
 * ({@link FixedKeyAes}). The tweaks are {@code j = (instance, 2t)} and {@code j' = (instance,
 * 2t+1)} for the {@code t}-th AND gate, each word's upper half carrying half of a 64-bit
 * per-garbling nonce ({@link Tweaks}): unique within one garbling as long as callers number
 * instances uniquely across {@link #garble} calls, and distinct across garblings (other Δ) up to a
 * nonce collision.
 *
 * <p><b>Layout.</b> Labels live in one {@code long[]} per storage slot (wire-major), instance
 * {@code k} at {@code 2k} (lo, then hi), so each gate is a linear sweep over instances and each AND
 * gate one AES call over {@code 4n} blocks. (One array per slot rather than one big array lets
 * HotSpot vectorise the XOR sweeps: it cannot prove disjoint ranges of one array apart.) Garbled
 * tables: the {@code t}-th AND gate of instance {@code k} at {@code tablesOff + 4·(t·n + k)}: TG
 * lo, TG hi, TE lo, TE hi. No allocation per gate. Not thread-safe.
 */
public final class Garbler extends HalfGates {
  /** Beyond this the AES buffers would not fit an array; a few hundred is the sweet spot. */
  public static final int MAX_CAPACITY = HalfGates.MAX_CAPACITY;

  private final long deltaLo;
  private final long deltaHi;
  private final long delta2Lo;
  private final long delta2Hi;

  /**
   * @param capacity the most instances one {@link #garble} call handles (a few hundred suffice to
   *     keep AES at full speed)
   * @param deltaLo low word of Δ; must be odd (point-and-permute)
   * @param nonce this garbling's tweak nonce; the evaluator must use the same (see {@link Tweaks})
   */
  public Garbler(Circuit circuit, int capacity, long deltaLo, long deltaHi, long nonce) {
    super(circuit, capacity, nonce, 64);
    Preconditions.checkArgument(
        (deltaLo & 1L) == 1L, "free-XOR offset Δ must have its low bit set");
    this.deltaLo = deltaLo;
    this.deltaHi = deltaHi;
    this.delta2Lo = dblLo(deltaLo, deltaHi);
    this.delta2Hi = dblHi(deltaLo, deltaHi);
  }

  /** A fresh Δ (lo, hi) with its low bit set. */
  public static long[] randomDelta(Prg prg) {
    long[] d = prg.nextLongs(2);
    d[0] |= 1L;
    return d;
  }

  public long deltaLo() {
    return deltaLo;
  }

  public long deltaHi() {
    return deltaHi;
  }

  public long nonce() {
    return tweaks.nonce();
  }

  /**
   * The decoding bit of output {@code q} for instance {@code k}: {@code lsb(zero-label)}, so the
   * evaluator's bit is {@code lsb(active label) ⊕ decodeBit}. For a constant output, the constant
   * (the evaluator then uses lsb 0).
   */
  public long decodeBit(int q, int k) {
    int w = circuit.outputWire(q);
    if (w == Circuit.ZERO) {
      return 0;
    }
    if (w == Circuit.ONE) {
      return 1;
    }
    return slots[circuit.outputSlot(q)][2 * k] & 1L;
  }

  /**
   * Garbles instances {@code firstInstance .. firstInstance+n−1} (global numbers, for the tweaks)
   * from the zero-labels of their inputs ({@link #inputLabels}), writing {@link #tableLongs}(n)
   * longs of tables from {@code tables[tablesOff]}. Instance numbers stay below {@link
   * Tweaks#MAX_INSTANCES}.
   */
  public void garble(int n, long firstInstance, long[] tables, int tablesOff) {
    sweep(n, firstInstance, tables, tablesOff);
  }

  /** INV gates {@code C0 = A0 ⊕ Δ}: free, like XOR. */
  @Override
  void invGate(long[] a, long[] o, int len) {
    for (int i = 0; i < len; i += 2) {
      o[i] = a[i] ^ deltaLo;
      o[i + 1] = a[i + 1] ^ deltaHi;
    }
  }

  @Override
  void andGate(long[] la, long[] lb, long[] lo, int n, long first, int t, long[] tab, int tabOff) {
    final byte[] kb = keys;
    final byte[] hb = perm;
    final long base = tweaks.instanceBase(first);
    final long jg = tweaks.gate(t);
    final long je = jg + 1;
    final long d2Lo = delta2Lo;
    final long d2Hi = delta2Hi;
    for (int k = 0; k < n; k++) {
      final long aLo = la[2 * k];
      final long aHi = la[2 * k + 1];
      final long bLo = lb[2 * k];
      final long bHi = lb[2 * k + 1];
      final long tw = base + k;
      final long xLo = dblLo(aLo, aHi) ^ tw;
      final long xHi = dblHi(aLo, aHi) ^ jg;
      final long yLo = dblLo(bLo, bHi) ^ tw;
      final long yHi = dblHi(bLo, bHi) ^ je;
      final int p = k << 6;
      LONGS.set(kb, p, xLo);
      LONGS.set(kb, p + 8, xHi);
      LONGS.set(kb, p + 16, xLo ^ d2Lo);
      LONGS.set(kb, p + 24, xHi ^ d2Hi);
      LONGS.set(kb, p + 32, yLo);
      LONGS.set(kb, p + 40, yHi);
      LONGS.set(kb, p + 48, yLo ^ d2Lo);
      LONGS.set(kb, p + 56, yHi ^ d2Hi);
    }
    aes.permute(kb, hb, 4 * n);
    final long dLo = deltaLo;
    final long dHi = deltaHi;
    for (int k = 0; k < n; k++) {
      final int p = k << 6;
      // Recompute the hash inputs K rather than reading them back: ALU is cheaper than loads.
      final long aLo = la[2 * k];
      final long aHi = la[2 * k + 1];
      final long bLo = lb[2 * k];
      final long bHi = lb[2 * k + 1];
      final long tw = base + k;
      final long xLo = dblLo(aLo, aHi) ^ tw;
      final long xHi = dblHi(aLo, aHi) ^ jg;
      final long yLo = dblLo(bLo, bHi) ^ tw;
      final long yHi = dblHi(bLo, bHi) ^ je;
      final long ha0Lo = (long) LONGS.get(hb, p) ^ xLo;
      final long ha0Hi = (long) LONGS.get(hb, p + 8) ^ xHi;
      final long ha1Lo = (long) LONGS.get(hb, p + 16) ^ xLo ^ d2Lo;
      final long ha1Hi = (long) LONGS.get(hb, p + 24) ^ xHi ^ d2Hi;
      final long hb0Lo = (long) LONGS.get(hb, p + 32) ^ yLo;
      final long hb0Hi = (long) LONGS.get(hb, p + 40) ^ yHi;
      final long hb1Lo = (long) LONGS.get(hb, p + 48) ^ yLo ^ d2Lo;
      final long hb1Hi = (long) LONGS.get(hb, p + 56) ^ yHi ^ d2Hi;
      final long pa = -(aLo & 1L);
      final long pb = -(bLo & 1L);
      final long tgLo = ha0Lo ^ ha1Lo ^ (pb & dLo);
      final long tgHi = ha0Hi ^ ha1Hi ^ (pb & dHi);
      final long hxLo = hb0Lo ^ hb1Lo;
      final long hxHi = hb0Hi ^ hb1Hi;
      // C0 = [H(A0) ⊕ pa·TG] ⊕ [H(B0) ⊕ pb·(H(B0) ⊕ H(B1))]
      final long cLo = ha0Lo ^ (pa & tgLo) ^ hb0Lo ^ (pb & hxLo);
      final long cHi = ha0Hi ^ (pa & tgHi) ^ hb0Hi ^ (pb & hxHi);
      final int q = tabOff + 4 * k;
      tab[q] = tgLo;
      tab[q + 1] = tgHi;
      tab[q + 2] = hxLo ^ aLo; // TE
      tab[q + 3] = hxHi ^ aHi;
      lo[2 * k] = cLo;
      lo[2 * k + 1] = cHi;
    }
  }

  /** Low word of 2·x in GF(2^128) mod x^128 + x^7 + x^2 + x + 1. */
  static long dblLo(long lo, long hi) {
    return (lo << 1) ^ ((hi >> 63) & 0x87L);
  }

  static long dblHi(long lo, long hi) {
    return (hi << 1) | (lo >>> 63);
  }
}
