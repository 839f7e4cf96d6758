package org.polyshare.dealer;

import org.polyshare.core.net.FixedRefusal;

/**
 * What the dealer tells a party when it refuses it or ends its session: a code and a fixed
 * sentence, never a value (no session id, secret, hash, size or exception text). The detail goes to
 * the dealer's own log only.
 */
enum DealerRefusal {
  BAD_HELLO("bad-hello", "the dealer needs a session id and the plan hash in the hello"),
  BAD_SECRET("bad-secret", "the dealer needs the session secret (16 to 64 bytes) before the plan"),
  SECRET_MISMATCH("secret-mismatch", "this connection does not hold the session's secret"),
  SLOT_TAKEN("slot-taken", "this party's place in the session is taken"),
  TOO_MANY_WAITING("too-many-waiting", "too many connections wait for this session's party 0"),
  PEER_MISSING("peer-missing", "the other party did not join the session in time"),
  PLAN_MISMATCH("plan-mismatch", "the two parties submitted different plans"),
  PEER_QUIT("peer-quit", "the other party ended the session early"),
  MALFORMED("malformed", "a party sent a malformed message"),
  LINK_FAILED("link-failed", "a link of the session failed"),
  PARTY0_LINK_FAILED("party0-link-failed", "the dealer's link to party 0 closed or broke"),
  PARTY1_LINK_FAILED("party1-link-failed", "the dealer's link to party 1 closed or broke"),
  LINK_TIMEOUT("link-timeout", "the dealer timed out waiting for a party's message"),
  BAD_FRAME(
      "bad-frame",
      "a message broke the frame format or passed the frame limit (dealer serve --max-frame-mb)"),
  INTERNAL("internal", "the dealer ended the session on an internal error"),
  SHUTTING_DOWN("shutting-down", "the dealer is shutting down");

  private final FixedRefusal refusal;

  DealerRefusal(String code, String sentence) {
    this.refusal = new FixedRefusal("dealer", code, sentence);
  }

  /** The text sent to the party: {@code dealer/CODE: sentence}. */
  String wire() {
    return refusal.wire();
  }
}
