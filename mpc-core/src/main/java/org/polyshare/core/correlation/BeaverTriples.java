package org.polyshare.core.correlation;

/** Shares of {@code n} elementwise triples with {@code c = a · b}. */
public record BeaverTriples(long[] a, long[] b, long[] c) implements Correlation {
  public int size() {
    return a.length;
  }
}
