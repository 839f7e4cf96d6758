package org.polyshare.models.secure;

/**
 * How the secure model evaluates ReLU (plain and fused into a product) and max-pool (a tree of
 * comparisons). Part of the plan: the two arms draw different correlations, so their plan hashes
 * differ.
 */
public enum ReluMode {
  /** Garbled circuits, as Delphi does without a third party (the default). */
  GC,
  /**
   * Function secret sharing with the dealer's DCF keys ({@link FssReluStep}; max-pool as {@code b +
   * ReLU(a − b)}, {@link MaxPoolLayer}).
   */
  FSS;

  /**
   * The FSS arm's widest input bound, {@code [−2^62, 2^62)}: where the plan knows no narrower one
   * ({@link FssReluWidth} gives each ReLU its width).
   */
  public static final int FSS_INPUT_BITS = 62;

  /** Parses {@code gc} or {@code fss} (any case), naming the choices otherwise. */
  public static ReluMode parse(String s) {
    for (ReluMode m : values()) {
      if (m.name().equalsIgnoreCase(s.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown ReLU mode '" + s + "': expected gc or fss");
  }
}
