package org.polyshare.core.correlation;

/** Shares of {@code n} pairs with {@code r2 = r · r}. */
public record SquarePairs(long[] r, long[] r2) implements Correlation {
  public int size() {
    return r.length;
  }
}
