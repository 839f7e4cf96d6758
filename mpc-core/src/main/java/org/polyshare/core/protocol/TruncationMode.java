package org.polyshare.core.protocol;

/** How products are scaled back by {@code 2^f}. */
public enum TruncationMode {
  /** One round with dealer tuples; error ≤ 1 ulp while |x| < 2^62 (the default). */
  DEALER,
  /**
   * SecureML-style: each party shifts its own share, zero rounds; off by ~2^(64−f) with
   * probability ≈ |x| / 2^64 per element.
   */
  LOCAL
}
