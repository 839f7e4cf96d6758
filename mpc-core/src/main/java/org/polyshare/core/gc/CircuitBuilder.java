package org.polyshare.core.gc;

import com.google.common.base.Preconditions;
import com.google.common.primitives.Bytes;
import com.google.common.primitives.Ints;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Circuit} from bit- and word-level operations.
 *
 * <p>A wire is an {@code int}; {@link Circuit#ZERO} and {@link Circuit#ONE} are the constants. A
 * word is an {@code int[]} of wires, LSB first. Gates with a constant input are folded away ({@code
 * x∧0 = 0}, {@code x∧1 = x}, {@code x⊕1 = ¬x}, ...), so constants and shifts cost nothing; gates
 * whose result reaches no output are dropped by {@link #build}. All inputs must be declared before
 * the first gate, so inputs occupy the first wires as {@link Circuit} requires.
 *
 * <p>AND counts (the cost in a garbled circuit; XOR and INV are free): {@link #add} and {@link
 * #sub} of w-bit words use w−1, {@link #lessThan} w, {@link #mux} one per bit.
 */
public final class CircuitBuilder {
  private final String name;
  private final List<Integer> inputWidths = new ArrayList<>();
  private final List<Integer> outputWidths = new ArrayList<>();
  private final List<Integer> outputWires = new ArrayList<>();
  private final List<Byte> ops = new ArrayList<>();
  private final List<Integer> in0 = new ArrayList<>();
  private final List<Integer> in1 = new ArrayList<>();
  private int wires;

  public CircuitBuilder(String name) {
    this.name = name;
  }

  /** Declares the next input of {@code width} bits; returns its wires, LSB first. */
  public int[] input(int width) {
    Preconditions.checkArgument(width > 0, "input width must be positive, got %s", width);
    Preconditions.checkState(ops.isEmpty(), "%s: declare every input before the first gate", name);
    int[] w = new int[width];
    for (int j = 0; j < width; j++) {
      w[j] = wires++;
    }
    inputWidths.add(width);
    return w;
  }

  /** Appends an output (LSB first); outputs are numbered in the order of these calls. */
  public void output(int... word) {
    Preconditions.checkArgument(word.length > 0, "an output needs at least one wire");
    for (int w : word) {
      checkWire(w);
      outputWires.add(w);
    }
    outputWidths.add(word.length);
  }

  private void checkWire(int w) {
    Preconditions.checkArgument(
        w == Circuit.ZERO || w == Circuit.ONE || (w >= 0 && w < wires),
        "%s: wire %s does not exist",
        name,
        w);
  }

  private static boolean isConst(int w) {
    return w < 0;
  }

  private static int constOf(boolean b) {
    return b ? Circuit.ONE : Circuit.ZERO;
  }

  private int gate(byte op, int a, int b) {
    ops.add(op);
    in0.add(a);
    in1.add(b);
    return wires++;
  }

  public int xor(int a, int b) {
    checkWire(a);
    checkWire(b);
    if (isConst(a) && isConst(b)) {
      return constOf(a != b);
    }
    if (isConst(b)) {
      return b == Circuit.ZERO ? a : not(a);
    }
    if (isConst(a)) {
      return a == Circuit.ZERO ? b : not(b);
    }
    if (a == b) {
      return Circuit.ZERO;
    }
    return gate(Circuit.XOR, a, b);
  }

  public int and(int a, int b) {
    checkWire(a);
    checkWire(b);
    if (a == Circuit.ZERO || b == Circuit.ZERO) {
      return Circuit.ZERO;
    }
    if (a == Circuit.ONE) {
      return b;
    }
    if (b == Circuit.ONE || a == b) {
      return a;
    }
    return gate(Circuit.AND, a, b);
  }

  public int not(int a) {
    checkWire(a);
    if (isConst(a)) {
      return a == Circuit.ZERO ? Circuit.ONE : Circuit.ZERO;
    }
    return gate(Circuit.INV, a, a);
  }

  /** a ∨ b = ¬(¬a ∧ ¬b): one AND. */
  public int or(int a, int b) {
    return not(and(not(a), not(b)));
  }

  /** {@code width} constant wires holding {@code value}'s low bits. */
  public static int[] constant(long value, int width) {
    Preconditions.checkArgument(width > 0 && width <= 64, "constant width must be in [1, 64]");
    int[] w = new int[width];
    for (int j = 0; j < width; j++) {
      w[j] = constOf(((value >>> j) & 1L) != 0);
    }
    return w;
  }

  public int[] xor(int[] a, int[] b) {
    checkSameWidth(a, b);
    int[] r = new int[a.length];
    for (int j = 0; j < a.length; j++) {
      r[j] = xor(a[j], b[j]);
    }
    return r;
  }

  public int[] not(int[] a) {
    int[] r = new int[a.length];
    for (int j = 0; j < a.length; j++) {
      r[j] = not(a[j]);
    }
    return r;
  }

  /** Each bit of {@code a} ANDed with {@code bit}: a word or zero. One AND per non-constant bit. */
  public int[] and(int[] a, int bit) {
    int[] r = new int[a.length];
    for (int j = 0; j < a.length; j++) {
      r[j] = and(a[j], bit);
    }
    return r;
  }

  private static void checkSameWidth(int[] a, int[] b) {
    Preconditions.checkArgument(
        a.length == b.length, "word widths differ: %s vs %s", a.length, b.length);
  }

  /**
   * Ripple-carry sum {@code a + b + carryIn} mod 2^w. Carry recurrence with one AND per bit: {@code
   * c' = c ⊕ ((a ⊕ c) ∧ (b ⊕ c))} (the majority of a, b, c); the final carry is not computed, so
   * w−1 ANDs when carryIn is constant.
   */
  public int[] add(int[] a, int[] b, int carryIn) {
    checkSameWidth(a, b);
    int[] s = new int[a.length];
    int c = carryIn;
    for (int j = 0; j < a.length; j++) {
      int ac = xor(a[j], c);
      s[j] = xor(ac, b[j]);
      if (j + 1 < a.length) {
        c = xor(c, and(ac, xor(b[j], c)));
      }
    }
    return s;
  }

  public int[] add(int[] a, int[] b) {
    return add(a, b, Circuit.ZERO);
  }

  /** {@code a − b} mod 2^w as {@code a + ¬b + 1}: w−1 ANDs. */
  public int[] sub(int[] a, int[] b) {
    return add(a, not(b), Circuit.ONE);
  }

  /**
   * Unsigned {@code a < b}: the borrow out of {@code a − b}, i.e. ¬carry of {@code a + ¬b + 1}; w
   * ANDs.
   */
  public int lessThan(int[] a, int[] b) {
    checkSameWidth(a, b);
    int c = Circuit.ONE;
    for (int j = 0; j < a.length; j++) {
      int nb = not(b[j]);
      c = xor(c, and(xor(a[j], c), xor(nb, c)));
    }
    return not(c);
  }

  /** Two's-complement {@code a < b}: unsigned comparison with both sign bits flipped (free). */
  public int lessThanSigned(int[] a, int[] b) {
    checkSameWidth(a, b);
    int[] fa = a.clone();
    int[] fb = b.clone();
    int top = a.length - 1;
    fa[top] = not(a[top]);
    fb[top] = not(b[top]);
    return lessThan(fa, fb);
  }

  /** {@code sel ? ifOne : ifZero}, one AND per bit: {@code z ⊕ sel∧(z ⊕ o)}. */
  public int[] mux(int sel, int[] ifZero, int[] ifOne) {
    checkSameWidth(ifZero, ifOne);
    int[] r = new int[ifZero.length];
    for (int j = 0; j < r.length; j++) {
      r[j] = xor(ifZero[j], and(sel, xor(ifZero[j], ifOne[j])));
    }
    return r;
  }

  /** {@code a >> s} with sign extension: pure wiring. */
  public static int[] shiftRightArithmetic(int[] a, int s) {
    Preconditions.checkArgument(s >= 0 && s < a.length, "shift %s out of [0, %s)", s, a.length);
    int[] r = new int[a.length];
    for (int j = 0; j < a.length; j++) {
      r[j] = a[Math.min(j + s, a.length - 1)];
    }
    return r;
  }

  /** {@code a >>> s}: pure wiring. */
  public static int[] shiftRightLogical(int[] a, int s) {
    Preconditions.checkArgument(s >= 0 && s <= a.length, "shift %s out of [0, %s]", s, a.length);
    int[] r = new int[a.length];
    for (int j = 0; j < a.length; j++) {
      r[j] = j + s < a.length ? a[j + s] : Circuit.ZERO;
    }
    return r;
  }

  /** {@code a << s}: pure wiring. */
  public static int[] shiftLeft(int[] a, int s) {
    Preconditions.checkArgument(s >= 0 && s <= a.length, "shift %s out of [0, %s]", s, a.length);
    int[] r = new int[a.length];
    for (int j = 0; j < a.length; j++) {
      r[j] = j >= s ? a[j - s] : Circuit.ZERO;
    }
    return r;
  }

  /** Gates so far (before dead-gate removal). */
  public int gateCount() {
    return ops.size();
  }

  /**
   * The circuit, keeping only gates that some output depends on, with wires renumbered densely
   * (inputs first, then gate outputs in order).
   */
  public Circuit build() {
    Preconditions.checkState(!outputWidths.isEmpty(), "%s: the circuit has no outputs", name);
    int nIn = 0;
    for (int w : inputWidths) {
      nIn += w;
    }
    int nGates = ops.size();
    boolean[] live = new boolean[wires];
    for (int w : outputWires) {
      if (w >= 0) {
        live[w] = true;
      }
    }
    // Gate g defines wire nIn + g; walk backwards marking what live gates read.
    for (int g = nGates - 1; g >= 0; g--) {
      if (live[nIn + g]) {
        live[in0.get(g)] = true;
        live[in1.get(g)] = true;
      }
    }
    int[] renumber = new int[wires];
    for (int w = 0; w < nIn; w++) {
      renumber[w] = w;
    }
    int next = nIn;
    List<Byte> kOps = new ArrayList<>();
    List<Integer> kIn0 = new ArrayList<>();
    List<Integer> kIn1 = new ArrayList<>();
    List<Integer> kOut = new ArrayList<>();
    for (int g = 0; g < nGates; g++) {
      if (!live[nIn + g]) {
        continue;
      }
      renumber[nIn + g] = next;
      kOps.add(ops.get(g));
      kIn0.add(renumber[in0.get(g)]);
      kIn1.add(renumber[in1.get(g)]);
      kOut.add(next++);
    }
    int[] outs = new int[outputWires.size()];
    for (int q = 0; q < outs.length; q++) {
      int w = outputWires.get(q);
      outs[q] = w < 0 ? w : renumber[w];
    }
    return new Circuit(
        name,
        next,
        Ints.toArray(inputWidths),
        Ints.toArray(outputWidths),
        Bytes.toArray(kOps),
        Ints.toArray(kIn0),
        Ints.toArray(kIn1),
        Ints.toArray(kOut),
        outs);
  }
}
