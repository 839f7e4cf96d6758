package org.polyshare.core.gc;

import static org.polyshare.core.gc.FixedKeyAes.LONGS;

import com.google.common.base.Preconditions;

/**
 * Evaluates half-gates garbled circuits made by {@link Garbler}, many instances at once, with the
 * same label and table layout. With active labels {@code Wa}, {@code Wb} and
 * {@code sa = lsb(Wa)}, {@code sb = lsb(Wb)}, an AND gate gives
 * {@code Wc = H(Wa, j) ⊕ sa·TG ⊕ H(Wb, j') ⊕ sb·(TE ⊕ Wa)} — two AES blocks per instance, one
 * AES call per gate over all instances. XOR gates XOR labels; INV gates copy them.
 */
public final class Evaluator {
  private final Circuit circuit;
  private final int capacity;
  private final long[] labels;
  private final byte[] keys;
  private final byte[] perm;
  private final FixedKeyAes aes = new FixedKeyAes();

  public Evaluator(Circuit circuit, int capacity) {
    Preconditions.checkArgument(capacity > 0, "capacity must be positive, got %s", capacity);
    Preconditions.checkArgument(
        (long) circuit.slotCount() * capacity * 2 < Integer.MAX_VALUE,
        "%s slots × %s instances do not fit in one label array; use a smaller capacity",
        circuit.slotCount(),
        capacity);
    this.circuit = circuit;
    this.capacity = capacity;
    this.labels = new long[circuit.slotCount() * capacity * 2];
    this.keys = new byte[32 * capacity];
    this.perm = new byte[32 * capacity];
  }

  public Circuit circuit() {
    return circuit;
  }

  public int capacity() {
    return capacity;
  }

  /** The label array; same indexing as {@link Garbler#labels()}, holding active labels. */
  public long[] labels() {
    return labels;
  }

  public int inputIndex(int inputBit) {
    return circuit.inputSlot(inputBit) * capacity * 2;
  }

  public int outputIndex(int q) {
    int s = circuit.outputSlot(q);
    return s < 0 ? -1 : s * capacity * 2;
  }

  /** {@code lsb} of output bit {@code q}'s active label for instance {@code k} (0 for constants). */
  public long outputLsb(int q, int k) {
    int i = outputIndex(q);
    return i < 0 ? 0 : labels[i + 2 * k] & 1L;
  }

  /** Evaluates instances {@code firstInstance .. +n−1} (the garbler's numbers) on their tables. */
  public void evaluate(int n, long firstInstance, long[] tables, int tablesOff) {
    Preconditions.checkArgument(n > 0 && n <= capacity, "n = %s outside [1, %s]", n, capacity);
    Preconditions.checkArgument(
        tablesOff >= 0 && tablesOff + 4L * circuit.andCount() * n <= tables.length,
        "table array too short: need %s longs from %s, have %s",
        4L * circuit.andCount() * n,
        tablesOff,
        tables.length);
    final byte[] ops = circuit.ops();
    final int[] s0 = circuit.slotIn0();
    final int[] s1 = circuit.slotIn1();
    final int[] so = circuit.slotOut();
    final long[] l = labels;
    final int stride = 2 * capacity;
    final int len = 2 * n;
    int t = 0;
    for (int g = 0; g < ops.length; g++) {
      final int a = s0[g] * stride;
      final int o = so[g] * stride;
      switch (ops[g]) {
        case Circuit.XOR -> {
          final int b = s1[g] * stride;
          for (int i = 0; i < len; i++) {
            l[o + i] = l[a + i] ^ l[b + i];
          }
        }
        case Circuit.INV -> {
          if (o != a) {
            System.arraycopy(l, a, l, o, len);
          }
        }
        default -> {
          andGate(a, s1[g] * stride, o, n, firstInstance, t, tables, tablesOff + 4 * t * n);
          t++;
        }
      }
    }
  }

  private void andGate(int a, int b, int o, int n, long first, int t, long[] tab, int tabOff) {
    final long[] l = labels;
    final byte[] kb = keys;
    final byte[] hb = perm;
    final long jg = 2L * t;
    final long je = jg + 1;
    for (int k = 0; k < n; k++) {
      final int ia = a + 2 * k;
      final int ib = b + 2 * k;
      final long aLo = l[ia];
      final long aHi = l[ia + 1];
      final long bLo = l[ib];
      final long bHi = l[ib + 1];
      final long tw = first + k;
      final int p = k << 5;
      LONGS.set(kb, p, Garbler.dblLo(aLo, aHi) ^ tw);
      LONGS.set(kb, p + 8, Garbler.dblHi(aLo, aHi) ^ jg);
      LONGS.set(kb, p + 16, Garbler.dblLo(bLo, bHi) ^ tw);
      LONGS.set(kb, p + 24, Garbler.dblHi(bLo, bHi) ^ je);
    }
    aes.permute(kb, hb, 2 * n);
    for (int k = 0; k < n; k++) {
      final int p = k << 5;
      final long haLo = (long) LONGS.get(hb, p) ^ (long) LONGS.get(kb, p);
      final long haHi = (long) LONGS.get(hb, p + 8) ^ (long) LONGS.get(kb, p + 8);
      final long hbLo = (long) LONGS.get(hb, p + 16) ^ (long) LONGS.get(kb, p + 16);
      final long hbHi = (long) LONGS.get(hb, p + 24) ^ (long) LONGS.get(kb, p + 24);
      final int ia = a + 2 * k;
      final long aLo = l[ia];
      final long aHi = l[ia + 1];
      final long sa = -(aLo & 1L);
      final long sb = -(l[b + 2 * k] & 1L);
      final int q = tabOff + 4 * k;
      final long cLo = haLo ^ (sa & tab[q]) ^ hbLo ^ (sb & (tab[q + 2] ^ aLo));
      final long cHi = haHi ^ (sa & tab[q + 1]) ^ hbHi ^ (sb & (tab[q + 3] ^ aHi));
      final int io = o + 2 * k;
      l[io] = cLo;
      l[io + 1] = cHi;
    }
  }
}
