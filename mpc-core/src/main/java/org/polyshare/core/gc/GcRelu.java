package org.polyshare.core.gc;

import com.google.common.base.Preconditions;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.polyshare.core.protocol.Party;

/**
 * ReLU with fused truncation over additive shares, as a garbled circuit in Delphi's offline/online
 * layout. Party 0 garbles, party 1 evaluates.
 *
 * <p><b>Circuit</b> ({@link #circuit}): inputs {@code a} (garbler, 64 bits), {@code u = −r}
 * (garbler, the negated fresh output mask {@code r}), {@code s} (evaluator); output {@code y =
 * (ReLU(a + s) >> shift) + u} mod 2^64. With {@code a = x − s} this is {@code (ReLU(x) >> shift) −
 * r}: party 1 keeps {@code y}, party 0 keeps {@code r}, additive shares of {@code ReLU(x) >> shift}
 * (exact floor division, no truncation error).
 *
 * <p><b>Offline</b> ({@link #prepare}), input-independent: both parties draw {@code 64n} random OTs
 * from the dealer. Party 1 picks its random {@code s}, sends {@code e = s ⊕ c} (its OT choice
 * bits); party 0 then fixes the zero-label of each {@code s}-wire to {@code m_e} and sends {@code D
 * = m0 ⊕ m1 ⊕ Δ}, so party 1's active label is {@code m_c ⊕ s·D} ({@link LabelOt}: one label per
 * bit instead of two; {@code m_{1−c}} hides Δ). Party 0's {@code u}-wire active labels are expanded
 * by both from a fresh seed party 0 sends, with zero-labels set to {@code P ⊕ u·Δ} — the same joint
 * distribution as sending random active labels. Party 0 garbles all instances and sends the tables
 * and decoding bits.
 *
 * <p><b>Online</b> ({@link #online}): party 1 sends {@code x1 − s} (8 bytes per ReLU); party 0
 * forms {@code a = x0 + x1 − s} and sends its 64 active labels (1 KiB per ReLU); party 1 evaluates.
 * One round trip, one message each way per layer.
 */
public final class GcRelu {
  private static final SharedGc.Tags TAGS = SharedGc.Tags.of(0x4743_5200);
  private static final int BITS = SharedGc.BITS;

  /** One function (and so one circuit) per shift, built on first use. */
  private static final ConcurrentMap<Integer, GcFunction> FUNCTIONS = new ConcurrentHashMap<>();

  private GcRelu() {}

  /**
   * The ReLU circuit for a right shift of {@code shiftBits}: inputs a, u, s (64 bits each, in that
   * order), output {@code (ReLU(a + s) >> shiftBits) + u} (the garbler feeds {@code u = −r} for its
   * mask r, which turns the subtractor into an adder without inverters). AND gates: 63 (adder) +
   * (63 − shiftBits) (zeroing the kept bits; bit 63 of a ReLU is always 0) + 63 (mask adder) =
   * {@code 189 − shiftBits}.
   */
  public static Circuit circuit(int shiftBits) {
    return function(shiftBits).circuit();
  }

  private static Circuit buildCircuit(int shift) {
    CircuitBuilder b = new CircuitBuilder("relu-shift" + shift);
    int[] a = b.input(BITS);
    int[] u = b.input(BITS);
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
    // y = shifted − r, with the garbler feeding u = −r: a plain adder, no inverters.
    b.output(b.add(shifted, u));
    return b.build();
  }

  /** AND gates per ReLU for this shift. */
  public static int andGates(int shiftBits) {
    return circuit(shiftBits).andCount();
  }

  /** The ReLU family's shared-input function for a right shift of {@code shiftBits}. */
  public static GcFunction function(int shiftBits) {
    Preconditions.checkArgument(
        shiftBits >= 0 && shiftBits < BITS, "shift must be in [0, 63], got %s", shiftBits);
    return FUNCTIONS.computeIfAbsent(shiftBits, sh -> new GcFunction(buildCircuit(sh), 1, TAGS));
  }

  /**
   * One party's material for {@code n} ReLUs: a {@link GcOffline} under the name callers already
   * use. New code can hold {@link GcOffline}, which ReLU and max-pool share.
   */
  public static final class Offline extends GcOffline {
    private final int shift;

    private Offline(GcOffline base, int shift) {
      super(base);
      this.shift = shift;
    }

    public int shiftBits() {
      return shift;
    }
  }

  /**
   * All offline work for {@code n} ReLUs with a right shift of {@code shiftBits}: random OTs,
   * garbling and table transfer. Both parties call it with the same arguments.
   */
  public static Offline prepare(Party party, int n, int shiftBits) {
    Preconditions.checkArgument(n >= 0, "number of ReLUs must be non-negative, got %s", n);
    return new Offline(SharedGc.prepare(party, function(shiftBits), n), shiftBits);
  }

  /**
   * Online phase: returns this party's additive share of {@code ReLU(x) >> shiftBits} for {@code x
   * = share0 + share1}. Consumes {@code offline}.
   */
  public static long[] online(Party party, GcOffline offline, long[] myShare) {
    return SharedGc.online(party, offline, TAGS, myShare);
  }
}
