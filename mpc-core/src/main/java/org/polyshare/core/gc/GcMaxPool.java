package org.polyshare.core.gc;

import com.google.common.base.Preconditions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.polyshare.core.protocol.Party;

/**
 * Max over windows of additively shared values, as a garbled circuit with the same offline/online
 * layout as {@link GcRelu} (party 0 garbles, party 1 evaluates; online: one ring element per value
 * from party 1, 64 labels per value from party 0).
 *
 * <p>Circuit ({@link #circuit}): inputs {@code a_0..a_{w−1}}, {@code u = −r} (party 0), {@code
 * s_0..s_{w−1}} (party 1); output {@code (max_i (a_i + s_i) >> shift) + u}, signed comparison,
 * arithmetic shift. AND gates: {@code 63·w} (reconstruction) + {@code 128·(w−1)} (a signed
 * comparator and a multiplexer per step of a balanced tournament) + 63 (mask) — 699 for a 2×2
 * window.
 */
public final class GcMaxPool {
  private static final SharedGc.Tags TAGS = SharedGc.Tags.of(0x4743_4d00);
  private static final int BITS = SharedGc.BITS;

  /** One function (and so one circuit) per window and shift, built on first use. */
  private static final Map<Long, GcFunction> FUNCTIONS = new ConcurrentHashMap<>();

  private GcMaxPool() {}

  /**
   * The max circuit for windows of {@code window} values and a right shift of {@code shiftBits}.
   */
  public static Circuit circuit(int window, int shiftBits) {
    return function(window, shiftBits).circuit();
  }

  private static Circuit build(int window, int shift) {
    CircuitBuilder b = new CircuitBuilder("max" + window + "-shift" + shift);
    int[][] a = new int[window][];
    for (int i = 0; i < window; i++) {
      a[i] = b.input(BITS);
    }
    int[] u = b.input(BITS);
    int[][] s = new int[window][];
    for (int i = 0; i < window; i++) {
      s[i] = b.input(BITS);
    }
    int[][] x = new int[window][];
    for (int i = 0; i < window; i++) {
      x[i] = b.add(a[i], s[i]);
    }
    // balanced tournament: depth ⌈log2 w⌉, w−1 compare-and-select steps
    int live = window;
    while (live > 1) {
      int next = 0;
      for (int i = 0; i + 1 < live; i += 2) {
        x[next++] = b.mux(b.lessThanSigned(x[i], x[i + 1]), x[i], x[i + 1]);
      }
      if ((live & 1) == 1) {
        x[next++] = x[live - 1];
      }
      live = next;
    }
    b.output(b.add(CircuitBuilder.shiftRightArithmetic(x[0], shift), u));
    return b.build();
  }

  /** The max family's shared-input function for windows of {@code window} values. */
  public static GcFunction function(int window, int shiftBits) {
    Preconditions.checkArgument(
        window >= 1 && window <= 1024, "window must be in [1, 1024], got %s", window);
    Preconditions.checkArgument(
        shiftBits >= 0 && shiftBits < BITS, "shift must be in [0, 63], got %s", shiftBits);
    return FUNCTIONS.computeIfAbsent(
        ((long) window << 8) | shiftBits,
        key -> new GcFunction(build(window, shiftBits), window, TAGS));
  }

  /**
   * Offline work for {@code n} windows of {@code window} values each (circuit garbling, table
   * transfer, OT). Both parties call it with the same arguments. Single use, like every {@link
   * GcOffline}.
   */
  public static GcOffline prepare(Party party, int n, int window, int shiftBits) {
    Preconditions.checkArgument(n >= 0, "number of windows must be non-negative, got %s", n);
    return SharedGc.prepare(party, function(window, shiftBits), n);
  }

  /**
   * This party's additive share of {@code max(window) >> shiftBits} per window. {@code myShare}
   * holds {@code n·window} values, window {@code g} at {@code [g·window, (g+1)·window)} (gather the
   * pooling windows first).
   */
  public static long[] online(Party party, GcOffline offline, long[] myShare) {
    return SharedGc.online(party, offline, TAGS, myShare);
  }
}
