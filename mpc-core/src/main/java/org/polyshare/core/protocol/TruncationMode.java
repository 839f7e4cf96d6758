package org.polyshare.core.protocol;

/** How products are scaled back by {@code 2^f}. */
public enum TruncationMode {
  /**
   * One round with dealer tuples; error ≤ 1 ulp while |x| < 2^62, but the dropped borrow depends on
   * secret low bits, so repeated queries of the same input give different outputs.
   */
  DEALER,
  /**
   * Local shifts: each party shifts its own share, zero rounds; off by ~2^(64−f) with probability ≈
   * |x| / 2^64 per element.
   */
  LOCAL,
  /**
   * The dealer's single opening plus a DCF on the low f bits for the borrow: exactly ⌊x/2^f⌋ for
   * every x ∈ [−2^62, 2^62), a deterministic function of x (no leak through repeated queries); ≈
   * 396 B of dealer keys per element and party at f = 16.
   */
  EXACT;

  /**
   * The mode named {@code name} as the CLIs spell it ({@code exact}, {@code dealer}, {@code
   * local}).
   */
  public static TruncationMode named(String name) {
    for (TruncationMode m : values()) {
      if (m.name().equalsIgnoreCase(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "--truncation must be exact, dealer or local, got '" + name + "'");
  }
}
