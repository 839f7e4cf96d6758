package org.polyshare.core.correlation;

import org.polyshare.core.fss.DcfKeys;

/**
 * One party's material for {@code n} FSS ReLUs on inputs {@code |x| < 2^bits}: additive shares of
 * the input mask {@code r}, of {@code u = r >>> bits}, {@code m = msb r}, {@code r·u} and {@code
 * r·m}, and its DCF keys for {@code n} comparisons on {@code bits}-bit inputs, key k with threshold
 * {@code r_k mod 2^bits} and the width-2 payload {@code (1, r_k)}.
 */
public record FssReluKeys(
    int bits,
    long[] r,
    long[] rShifted,
    long[] msb,
    long[] rTimesShifted,
    long[] rTimesMsb,
    DcfKeys keys)
    implements Correlation {
  public FssReluKeys {
    if (keys.count() != r.length || keys.bits() != bits || keys.width() != 2) {
      throw new IllegalArgumentException(
          "FSS ReLU: " + keys + " do not match " + r.length + " ReLUs of " + bits + "-bit inputs");
    }
  }

  public int size() {
    return r.length;
  }
}
