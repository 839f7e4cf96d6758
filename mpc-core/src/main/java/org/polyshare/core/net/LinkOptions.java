package org.polyshare.core.net;

import java.time.Duration;

/**
 * Settings of a Netty link.
 *
 * @param timeout bound on every blocking receive, and on a send blocked by back-pressure
 * @param connectTimeout bound on one TCP connect attempt (connect retries until its own deadline)
 * @param handshakeTimeout bound on the TLS handshake and on the hello exchange
 * @param maxPayload largest accepted payload in bytes; a bigger incoming frame ends the link
 * @param lowWaterMark a blocked sender resumes when fewer bytes than this are queued
 * @param highWaterMark senders block while more bytes than this are queued (the peer is slow)
 */
public record LinkOptions(
    Duration timeout,
    Duration connectTimeout,
    Duration handshakeTimeout,
    int maxPayload,
    int lowWaterMark,
    int highWaterMark) {

  public LinkOptions {
    if (maxPayload <= 0 || lowWaterMark <= 0 || highWaterMark < lowWaterMark) {
      throw new IllegalArgumentException("need maxPayload > 0 and 0 < lowWaterMark <= highWaterMark");
    }
    if (timeout.isNegative() || timeout.isZero() || connectTimeout.isNegative() || connectTimeout.isZero()
        || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("link timeouts must be positive");
    }
  }

  public static LinkOptions defaults() {
    return new LinkOptions(Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Frames.DEFAULT_MAX_PAYLOAD, 1 << 20, 4 << 20);
  }

  public LinkOptions withTimeout(Duration t) {
    return new LinkOptions(t, connectTimeout, handshakeTimeout, maxPayload, lowWaterMark, highWaterMark);
  }

  public LinkOptions withConnectTimeout(Duration t) {
    return new LinkOptions(timeout, t, handshakeTimeout, maxPayload, lowWaterMark, highWaterMark);
  }

  public LinkOptions withHandshakeTimeout(Duration t) {
    return new LinkOptions(timeout, connectTimeout, t, maxPayload, lowWaterMark, highWaterMark);
  }

  public LinkOptions withMaxPayload(int bytes) {
    return new LinkOptions(timeout, connectTimeout, handshakeTimeout, bytes, lowWaterMark, highWaterMark);
  }

  public LinkOptions withWaterMarks(int low, int high) {
    return new LinkOptions(timeout, connectTimeout, handshakeTimeout, maxPayload, low, high);
  }
}
