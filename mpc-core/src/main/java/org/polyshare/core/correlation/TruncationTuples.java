package org.polyshare.core.correlation;

/**
 * Shares of {@code n} tuples for truncating by {@code fracBits}: a uniform {@code r}, its logical
 * shift {@code r >>> fracBits} and its top bit {@code msb(r)} ∈ {0, 1}, all shared additively.
 */
public record TruncationTuples(int fracBits, long[] r, long[] rShifted, long[] msb)
    implements Correlation {
  public int size() {
    return r.length;
  }
}
