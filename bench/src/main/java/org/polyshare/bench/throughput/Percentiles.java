package org.polyshare.bench.throughput;

import java.util.Arrays;

/** Latency percentiles by the nearest-rank rule: p-th = the ⌈p/100 · n⌉-th smallest value. */
public final class Percentiles {
  private final double[] sorted;

  public Percentiles(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("percentiles of no values");
    }
    sorted = values.clone();
    Arrays.sort(sorted);
  }

  /** The {@code p}-th percentile, {@code 0 < p ≤ 100}: a value that was observed. */
  public double at(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(1, rank) - 1];
  }

  public double max() {
    return sorted[sorted.length - 1];
  }

  public int count() {
    return sorted.length;
  }
}
