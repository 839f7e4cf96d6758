package org.polyshare.core.net;

/**
 * What a process tells a peer when it refuses it or ends their session: who says it, a code and a
 * fixed sentence, never a value (no id, secret, hash, size, weight or exception text); the detail
 * stays in the sender's local log. The dealer's and the parties' refusal enums each hold one.
 */
public record FixedRefusal(String sender, String code, String sentence) {
  /** The text the peer receives: {@code SENDER/CODE: sentence}. */
  public String wire() {
    return sender + "/" + code + ": " + sentence;
  }
}
