package org.polyshare.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Warm-up and measured repetitions of a benchmark: indices {@code 0 .. warmup-1} warm the JIT and
 * caches and are dropped, the next {@code measured} are kept.
 */
public record Repetitions(int warmup, int measured) {
  public Repetitions {
    if (warmup < 0 || measured < 1) {
      throw new IllegalArgumentException(
          "need at least 1 measured repetition and no negative warm-up"
              + " count, got "
              + measured
              + " measured and "
              + warmup
              + " warm-up");
    }
  }

  public int total() {
    return warmup + measured;
  }

  public boolean isWarmup(int k) {
    return k < warmup;
  }

  /** For progress lines: {@code warm-up 1/2} or {@code rep 3/5}. */
  public String label(int k) {
    return isWarmup(k)
        ? "warm-up " + (k + 1) + "/" + warmup
        : "rep " + (k - warmup + 1) + "/" + measured;
  }

  /**
   * Runs every repetition, each from a collected heap (so one repetition's garbage is not billed to
   * the next), and returns the measured ones' results in order.
   */
  public <R> List<R> run(IntFunction<R> repetition) {
    List<R> kept = new ArrayList<>(measured);
    for (int k = 0; k < total(); k++) {
      System.gc();
      R r = repetition.apply(k);
      if (!isWarmup(k)) {
        kept.add(r);
      }
    }
    return kept;
  }
}
