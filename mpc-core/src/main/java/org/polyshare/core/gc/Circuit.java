package org.polyshare.core.gc;

import com.google.common.base.Preconditions;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * An immutable boolean circuit of XOR, AND and INV gates in topological order.
 *
 * <p><b>Wires and bit order.</b> The circuit has {@link #inputCount()} inputs of the given widths;
 * input {@code i}'s bit {@code j} is wire {@code inputOffset(i) + j}, inputs laid out one after the
 * other from wire 0. Bit {@code j} is the bit of weight {@code 2^j} when the input is read as an
 * integer: LSB first. Outputs are listed explicitly: output bit {@code q} (outputs concatenated,
 * LSB first within each) is wire {@link #outputWire}{@code (q)}, or the constant {@link #ZERO} /
 * {@link #ONE} when constant folding made it one. Gates never read constants.
 *
 * <p><b>Slots.</b> A garbled evaluation stores one 128-bit label per wire per instance; storing all
 * wires of a 37k-wire circuit for a thousand instances would take 600 MB. The constructor therefore
 * maps wires to a small number of storage <em>slots</em> by liveness (a slot is reused once the
 * last gate reading its wire has run). Engines address labels by slot only.
 */
public final class Circuit {
  /** Gate operations. */
  public static final byte XOR = 0;

  public static final byte AND = 1;
  public static final byte INV = 2;

  /** Constant wire markers, used only in {@link #outputWire}. */
  public static final int ZERO = -1;

  public static final int ONE = -2;

  private final String name;
  private final int numWires;
  private final int[] inputWidths;
  private final int[] outputWidths;
  private final int[] inputOffsets;
  private final int inputBits;
  private final byte[] ops;
  private final int[] in0;
  private final int[] in1;
  private final int[] out;
  private final int[] outputWires;
  private final int andCount;
  private final int xorCount;
  private final int invCount;

  // Slot allocation (see class doc).
  private final int numSlots;
  private final int[] slotIn0;
  private final int[] slotIn1;
  private final int[] slotOut;
  private final int[] inputSlots;
  private final int[] outputSlots;

  /**
   * Builds and checks a circuit. {@code in1[g]} is ignored for INV gates.
   *
   * @throws IllegalArgumentException naming the first gate that reads an undefined wire, writes a
   *     wire twice, or is otherwise malformed
   */
  public Circuit(
      String name,
      int numWires,
      int[] inputWidths,
      int[] outputWidths,
      byte[] ops,
      int[] in0,
      int[] in1,
      int[] out,
      int[] outputWires) {
    this.name = Preconditions.checkNotNull(name);
    Preconditions.checkArgument(numWires >= 0, "%s: negative wire count", name);
    Preconditions.checkArgument(
        ops.length == in0.length && ops.length == in1.length && ops.length == out.length,
        "%s: gate arrays differ in length",
        name);
    this.numWires = numWires;
    this.inputWidths = inputWidths.clone();
    this.outputWidths = outputWidths.clone();
    this.ops = ops.clone();
    this.in0 = in0.clone();
    this.in1 = in1.clone();
    this.out = out.clone();
    this.outputWires = outputWires.clone();

    inputOffsets = new int[inputWidths.length];
    int off = 0;
    for (int i = 0; i < inputWidths.length; i++) {
      Preconditions.checkArgument(
          inputWidths[i] > 0, "%s: input %s has width %s", name, i, inputWidths[i]);
      inputOffsets[i] = off;
      off += inputWidths[i];
    }
    inputBits = off;
    Preconditions.checkArgument(
        inputBits <= numWires, "%s: %s input bits but only %s wires", name, inputBits, numWires);
    int outBits = 0;
    for (int w : outputWidths) {
      Preconditions.checkArgument(w > 0, "%s: an output has width %s", name, w);
      outBits += w;
    }
    Preconditions.checkArgument(
        outBits == outputWires.length,
        "%s: output widths sum to %s but %s output wires are listed",
        name,
        outBits,
        outputWires.length);

    // Definition check: every gate reads defined wires and defines a fresh one.
    boolean[] defined = new boolean[numWires];
    Arrays.fill(defined, 0, inputBits, true);
    int ands = 0;
    int xors = 0;
    int invs = 0;
    for (int g = 0; g < ops.length; g++) {
      byte op = ops[g];
      checkRead(defined, in0[g], g);
      if (op == XOR || op == AND) {
        checkRead(defined, in1[g], g);
      } else if (op != INV) {
        throw new IllegalArgumentException(name + ": gate " + g + " has unknown operation " + op);
      }
      int o = out[g];
      if (o < 0 || o >= numWires) {
        throw new IllegalArgumentException(
            name + ": gate " + g + " writes wire " + o + " outside [0, " + numWires + ")");
      }
      if (defined[o]) {
        throw new IllegalArgumentException(
            name + ": gate " + g + " writes wire " + o + ", which is already defined");
      }
      defined[o] = true;
      if (op == AND) {
        ands++;
      } else if (op == XOR) {
        xors++;
      } else {
        invs++;
      }
    }
    for (int q = 0; q < outputWires.length; q++) {
      int w = outputWires[q];
      if (w == ZERO || w == ONE) {
        continue;
      }
      if (w < 0 || w >= numWires || !defined[w]) {
        throw new IllegalArgumentException(
            name + ": output bit " + q + " is wire " + w + ", which no gate or input defines");
      }
    }
    andCount = ands;
    xorCount = xors;
    invCount = invs;

    // Liveness: last gate reading each wire; outputs live to the end.
    int[] lastUse = new int[numWires];
    Arrays.fill(lastUse, -1);
    for (int g = 0; g < ops.length; g++) {
      lastUse[in0[g]] = g;
      if (ops[g] != INV) {
        lastUse[in1[g]] = g;
      }
    }
    for (int w : outputWires) {
      if (w >= 0) {
        lastUse[w] = Integer.MAX_VALUE;
      }
    }
    int[] slotOf = new int[numWires];
    Arrays.fill(slotOf, -1);
    ArrayDeque<Integer> free = new ArrayDeque<>();
    int slots = 0;
    inputSlots = new int[inputBits];
    for (int w = 0; w < inputBits; w++) {
      slotOf[w] = slots++;
      inputSlots[w] = slotOf[w];
    }
    slotIn0 = new int[ops.length];
    slotIn1 = new int[ops.length];
    slotOut = new int[ops.length];
    for (int g = 0; g < ops.length; g++) {
      slotIn0[g] = slotOf[in0[g]];
      slotIn1[g] = ops[g] == INV ? slotIn0[g] : slotOf[in1[g]];
      // Engines read a gate's inputs before writing its output for each instance, so the output
      // may take the slot of an input that dies here.
      if (lastUse[in0[g]] == g) {
        free.push(slotOf[in0[g]]);
        lastUse[in0[g]] = -2; // freed once even when both inputs are the same wire
      }
      if (ops[g] != INV && lastUse[in1[g]] == g) {
        free.push(slotOf[in1[g]]);
        lastUse[in1[g]] = -2;
      }
      int s = free.isEmpty() ? slots++ : free.pop();
      slotOf[out[g]] = s;
      slotOut[g] = s;
      if (lastUse[out[g]] == -1) {
        free.push(s); // dead output: its slot is immediately reusable
      }
    }
    // Input wires never read by any gate keep their slot for the whole run (they were allocated
    // first and never freed), so the caller can always write every input.
    outputSlots = new int[outputWires.length];
    for (int q = 0; q < outputWires.length; q++) {
      int w = outputWires[q];
      outputSlots[q] = w >= 0 ? slotOf[w] : -1;
    }
    numSlots = slots;
  }

  private void checkRead(boolean[] defined, int w, int g) {
    if (w < 0 || w >= numWires) {
      throw new IllegalArgumentException(
          name + ": gate " + g + " reads wire " + w + " outside [0, " + numWires + ")");
    }
    if (!defined[w]) {
      throw new IllegalArgumentException(
          name + ": gate " + g + " reads wire " + w + " before any gate defines it");
    }
  }

  public String name() {
    return name;
  }

  public int wireCount() {
    return numWires;
  }

  public int gateCount() {
    return ops.length;
  }

  public int andCount() {
    return andCount;
  }

  public int xorCount() {
    return xorCount;
  }

  public int invCount() {
    return invCount;
  }

  public int inputCount() {
    return inputWidths.length;
  }

  public int inputWidth(int i) {
    return inputWidths[i];
  }

  /** First wire of input {@code i}. */
  public int inputOffset(int i) {
    return inputOffsets[i];
  }

  /** Total input bits = number of input wires. */
  public int inputBits() {
    return inputBits;
  }

  public int outputCount() {
    return outputWidths.length;
  }

  public int outputWidth(int i) {
    return outputWidths[i];
  }

  /** First bit of output {@code i} in the concatenated output bits. */
  public int outputOffset(int i) {
    int off = 0;
    for (int k = 0; k < i; k++) {
      off += outputWidths[k];
    }
    return off;
  }

  public int outputBits() {
    return outputWires.length;
  }

  /** The wire of output bit {@code q}, or {@link #ZERO}/{@link #ONE}. */
  public int outputWire(int q) {
    return outputWires[q];
  }

  // --- package-private views for the engines (not copied: hot paths) ---

  byte[] ops() {
    return ops;
  }

  int slotCount() {
    return numSlots;
  }

  int[] slotIn0() {
    return slotIn0;
  }

  int[] slotIn1() {
    return slotIn1;
  }

  int[] slotOut() {
    return slotOut;
  }

  /** Slot of input wire {@code w}. */
  int inputSlot(int w) {
    return inputSlots[w];
  }

  /** Slot of output bit {@code q}, or −1 for a constant output. */
  int outputSlot(int q) {
    return outputSlots[q];
  }

  /** Storage slots needed for one instance (at most the wire count). */
  public int slots() {
    return numSlots;
  }

  /**
   * Plain evaluation of 64 instances at once: {@code inputs[w]} holds input wire {@code w}'s bit
   * for instance {@code k} at bit {@code k}; returns one such word per output bit. The reference
   * the garbled evaluation is checked against.
   */
  public long[] evaluateBitsliced(long[] inputs) {
    Preconditions.checkArgument(
        inputs.length == inputBits,
        "%s: expected %s input words (one per input bit), got %s",
        name,
        inputBits,
        inputs.length);
    long[] s = new long[numSlots];
    for (int w = 0; w < inputBits; w++) {
      s[inputSlots[w]] = inputs[w];
    }
    for (int g = 0; g < ops.length; g++) {
      long a = s[slotIn0[g]];
      long r;
      switch (ops[g]) {
        case XOR -> r = a ^ s[slotIn1[g]];
        case AND -> r = a & s[slotIn1[g]];
        default -> r = ~a;
      }
      s[slotOut[g]] = r;
    }
    long[] res = new long[outputWires.length];
    for (int q = 0; q < res.length; q++) {
      int w = outputWires[q];
      res[q] = w == ZERO ? 0L : w == ONE ? -1L : s[outputSlots[q]];
    }
    return res;
  }

  /**
   * Plain evaluation of one instance on integer-valued inputs: {@code values[i]} is input {@code i}
   * as little-endian 64-bit words (bit {@code j} of the input is bit {@code j & 63} of word {@code
   * j >>> 6}); returns the outputs in the same form.
   */
  public long[][] evaluate(long[]... values) {
    Preconditions.checkArgument(
        values.length == inputWidths.length,
        "%s: expected %s inputs, got %s",
        name,
        inputWidths.length,
        values.length);
    long[] in = new long[inputBits];
    for (int i = 0; i < values.length; i++) {
      Preconditions.checkArgument(
          values[i].length * 64 >= inputWidths[i],
          "%s: input %s needs %s bits, got %s words",
          name,
          i,
          inputWidths[i],
          values[i].length);
      for (int j = 0; j < inputWidths[i]; j++) {
        in[inputOffsets[i] + j] = -((values[i][j >>> 6] >>> (j & 63)) & 1L);
      }
    }
    long[] o = evaluateBitsliced(in);
    long[][] res = new long[outputWidths.length][];
    int q = 0;
    for (int i = 0; i < outputWidths.length; i++) {
      res[i] = new long[(outputWidths[i] + 63) >>> 6];
      for (int j = 0; j < outputWidths[i]; j++, q++) {
        res[i][j >>> 6] |= (o[q] & 1L) << (j & 63);
      }
    }
    return res;
  }

  @Override
  public String toString() {
    return String.format(
        "Circuit[%s: %d wires, %d AND, %d XOR, %d INV, %d slots]",
        name, numWires, andCount, xorCount, invCount, numSlots);
  }
}
