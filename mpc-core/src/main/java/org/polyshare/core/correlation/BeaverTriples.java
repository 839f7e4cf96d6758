package org.polyshare.core.correlation;

import org.polyshare.core.kernel.BilinearMap;

/**
 * Shares of a Beaver triple over {@code map}: {@code a} like the left operand, {@code b} like the
 * right, {@code c = a ⊗ b}. For an elementwise map these are {@code n} scalar triples.
 */
public record BeaverTriples(BilinearMap map, long[] a, long[] b, long[] c) implements Correlation {
  /** Elements of the left operand (the triple count of an elementwise map). */
  public int size() {
    return a.length;
  }
}
