package org.polyshare.core.gc;

import static org.polyshare.core.prg.FixedKeyAes.LONGS;

import org.polyshare.core.store.LongFile;

/**
 * Evaluates half-gates garbled circuits made by {@link Garbler}, many instances at once, with the
 * same label and table layout. With active labels {@code Wa}, {@code Wb} and {@code sa = lsb(Wa)},
 * {@code sb = lsb(Wb)}, an AND gate gives {@code Wc = H(Wa, j) ⊕ sa·TG ⊕ H(Wb, j') ⊕ sb·(TE ⊕ Wa)}
 * — two AES blocks per instance, one AES call per gate over all instances. XOR gates XOR labels;
 * INV gates copy them.
 */
public final class Evaluator extends HalfGates {
  /** Beyond this the AES buffers would not fit an array; a few hundred is the sweet spot. */
  public static final int MAX_CAPACITY = HalfGates.MAX_CAPACITY;

  /**
   * @param nonce the garbling's tweak nonce, as the garbler used it (see {@link Tweaks})
   */
  public Evaluator(Circuit circuit, int capacity, long nonce) {
    super(circuit, capacity, nonce, 32);
  }

  /**
   * {@code lsb} of output bit {@code q}'s active label for instance {@code k} (0 for constants).
   */
  public long outputLsb(int q, int k) {
    int s = circuit.outputSlot(q);
    return s < 0 ? 0 : slots[s][2 * k] & 1L;
  }

  /** Evaluates instances {@code firstInstance .. +n−1} (the garbler's numbers) on their tables. */
  public void evaluate(int n, long firstInstance, long[] tables, int tablesOff) {
    sweep(n, firstInstance, tables, tablesOff);
  }

  /**
   * As {@link #evaluate(int, long, long[], int)} with the tables in a material file from long
   * {@code at}, read gate by gate into a reused buffer.
   */
  public void evaluate(int n, long firstInstance, LongFile tables, long at) {
    sweep(n, firstInstance, tables, at);
  }

  /** INV gates copy the active label: the garbler flipped the meaning (zero-label ⊕ Δ). */
  @Override
  void invGate(long[] a, long[] o, int len) {
    if (o != a) {
      System.arraycopy(a, 0, o, 0, len);
    }
  }

  @Override
  void andGate(long[] la, long[] lb, long[] lo, int n, long first, int t, long[] tab, int tabOff) {
    final byte[] kb = keys;
    final byte[] hb = perm;
    final long base = tweaks.instanceBase(first);
    final long jg = tweaks.gate(t);
    final long je = jg + 1;
    for (int k = 0; k < n; k++) {
      final long aLo = la[2 * k];
      final long aHi = la[2 * k + 1];
      final long bLo = lb[2 * k];
      final long bHi = lb[2 * k + 1];
      final long tw = base + k;
      final int p = k << 5;
      LONGS.set(kb, p, Garbler.dblLo(aLo, aHi) ^ tw);
      LONGS.set(kb, p + 8, Garbler.dblHi(aLo, aHi) ^ jg);
      LONGS.set(kb, p + 16, Garbler.dblLo(bLo, bHi) ^ tw);
      LONGS.set(kb, p + 24, Garbler.dblHi(bLo, bHi) ^ je);
    }
    aes.permute(kb, hb, 2 * n);
    for (int k = 0; k < n; k++) {
      final int p = k << 5;
      final long aLo = la[2 * k];
      final long aHi = la[2 * k + 1];
      final long bLo = lb[2 * k];
      final long bHi = lb[2 * k + 1];
      final long tw = base + k;
      final long haLo = (long) LONGS.get(hb, p) ^ Garbler.dblLo(aLo, aHi) ^ tw;
      final long haHi = (long) LONGS.get(hb, p + 8) ^ Garbler.dblHi(aLo, aHi) ^ jg;
      final long hbLo = (long) LONGS.get(hb, p + 16) ^ Garbler.dblLo(bLo, bHi) ^ tw;
      final long hbHi = (long) LONGS.get(hb, p + 24) ^ Garbler.dblHi(bLo, bHi) ^ je;
      final long sa = -(aLo & 1L);
      final long sb = -(bLo & 1L);
      final int q = tabOff + 4 * k;
      final long cLo = haLo ^ (sa & tab[q]) ^ hbLo ^ (sb & (tab[q + 2] ^ aLo));
      final long cHi = haHi ^ (sa & tab[q + 1]) ^ hbHi ^ (sb & (tab[q + 3] ^ aHi));
      lo[2 * k] = cLo;
      lo[2 * k + 1] = cHi;
    }
  }
}
