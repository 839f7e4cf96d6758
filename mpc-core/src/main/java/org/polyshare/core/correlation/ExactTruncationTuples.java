package org.polyshare.core.correlation;

import org.polyshare.core.fss.DcfKeys;

/**
 * Shares of {@code n} tuples for truncating by {@code fracBits} exactly: the truncation tuple
 * {@code (r, r >>> f, msb r)} (additive shares) and this party's DCF keys {@code borrow} for the
 * thresholds {@code r mod 2^f} on f-bit inputs, payload 1: evaluated at {@code c mod 2^f} they give
 * additive shares of the borrow {@code [c mod 2^f < r mod 2^f]}.
 */
public record ExactTruncationTuples(
    int fracBits, long[] r, long[] rShifted, long[] msb, DcfKeys borrow) implements Correlation {
  public ExactTruncationTuples {
    if (borrow.count() != r.length || borrow.bits() != fracBits) {
      throw new IllegalArgumentException(
          "exact truncation: "
              + borrow
              + " do not match "
              + r.length
              + " tuples of shift "
              + fracBits);
    }
  }

  public int size() {
    return r.length;
  }
}
