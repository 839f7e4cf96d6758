package org.polyshare.core.net;

/**
 * Messages on a party↔dealer link, after the {@link Hello} exchange (the party's hello carries the
 * session id and the SHA-256 of its first plan; the dealer's asserts neither).
 *
 * <pre>
 *   party → dealer  TAG_SECRET bytes  first, once: the session secret party 0 drew and handed to
 *                                     party 1 over their link; the dealer pairs only its holders
 *   party → dealer  TAG_PLAN  long[]  a plan batch, {@code CorrelationPlan.encode()};
 *                                     an EMPTY array ends the session cleanly
 *   dealer → party  TAG_DEAL  long[]  one {@code DealerMessage.encode()} per request of the
 *                                     batch, in plan order: [seedLo, seedHi, correction...]
 *   either way      TAG_ERROR bytes   the reason the session ends (plan mismatch, peer gone, ...)
 * </pre>
 *
 * A session is a sequence of batches; both parties send batch k, the dealer compares them (mismatch
 * → error to both, naming both hashes and sizes) and deals batch k to both. Session state such as
 * fixed weight masks lives across batches.
 */
public final class DealerProtocol {
  private DealerProtocol() {}

  public static final int TAG_PLAN = 1;
  public static final int TAG_DEAL = 2;
  public static final int TAG_SECRET = 3;

  /** Bounds of a session secret's length in bytes (at least 128 bits). */
  public static final int MIN_SECRET_BYTES = 16;

  public static final int MAX_SECRET_BYTES = 64;

  /** The end-of-session marker sent under {@link #TAG_PLAN}. */
  public static final long[] BYE = new long[0];
}
