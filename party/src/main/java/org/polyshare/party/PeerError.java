package org.polyshare.party;

import org.polyshare.core.net.FixedRefusal;
import org.polyshare.core.net.NettyLink;

/**
 * What a party tells its peer when it ends their session: a code and a fixed sentence, never a
 * value. A {@code HeadroomException} names per-layer activations, {@code FixedPoint.encode} and the
 * bias encoding name weights and biases; none of that may cross to party 1. The detail goes to the
 * sender's local log only.
 */
enum PeerError {
  BAD_REQUEST(
      "bad-request",
      "party 0 refused the session request: wrong number of inferences or batch size (see its"
          + " limits)"),
  PLAN_MISMATCH(
      "plan-mismatch",
      "the parties' plans differ: they compiled another architecture, inference count,"
          + " --truncation or --relu"),
  ARCHITECTURE_REFUSED("architecture-refused", "party 1 refused the architecture party 0 sent"),
  MALFORMED("malformed", "the peer sent a malformed session message"),
  CLIENT_ENDED("client-ended", "party 1 ended the session"),
  INTERNAL("internal", "party 0 ended the session on an internal error; its log has the detail");

  private final FixedRefusal refusal;

  PeerError(String code, String sentence) {
    this.refusal = new FixedRefusal("party", code, sentence);
  }

  /** The text the peer receives: {@code party/CODE: sentence}. */
  String wire() {
    return refusal.wire();
  }

  /** Aborts {@code peer} with this error (if the link is still up) and returns it for throwing. */
  <E extends RuntimeException> E abort(NettyLink peer, E local) {
    if (peer.isOpen()) {
      peer.abort(wire());
    }
    return local;
  }
}
