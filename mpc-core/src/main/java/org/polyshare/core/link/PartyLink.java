package org.polyshare.core.link;

import java.time.Duration;

/**
 * A framed, tagged, bidirectional link between two processes (party↔party or party↔dealer).
 *
 * <p>Protocol code is sequential, so the interface is blocking: {@code send} queues a message and
 * returns; {@code receive*} waits for the next message under that tag, at most {@link #timeout()},
 * then throws {@link LinkTimeoutException}. Messages under one tag arrive in the order sent; tags
 * let independent streams interleave. A peer that closes or fails makes pending and later receives
 * throw {@link LinkClosedException} instead of waiting out the timeout.
 *
 * <p>Implementations: {@link InMemoryLink} (two threads in one JVM) and the Netty/TLS link.
 */
public interface PartyLink extends AutoCloseable {

  /** Sends ring elements under {@code tag}. The array may be reused by the caller after return. */
  void send(int tag, long[] data);

  /** Sends raw bytes under {@code tag}. The array may be reused by the caller after return. */
  void send(int tag, byte[] data);

  /** The next {@code long[]} message under {@code tag}. */
  long[] receiveLongs(int tag);

  /** The next {@code byte[]} message under {@code tag}. */
  byte[] receiveBytes(int tag);

  /** The bound on every blocking receive. */
  Duration timeout();

  /**
   * Byte, message and round counters since the link was opened (or last {@link LinkStats#reset}).
   */
  LinkStats stats();

  /** A short description of the peer, for error messages (never secret). */
  String peerName();

  @Override
  void close();
}
