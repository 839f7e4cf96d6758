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
 * <p><b>Chunked messages</b> ({@link #sendChunked}, {@link #openChunked}, {@link #receiveLongs(int,
 * int, ChunkListener)}): a large opening leaves in pieces of {@link #chunkLongs()} so that the
 * receiver computes on piece k while piece k+1 is on the wire. Bytes, messages and rounds count as
 * for one message (see {@link Chunks}); a chunked message must be read with the chunked receive.
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

  /**
   * Opens a message of {@code length} ring elements under {@code tag} that leaves piece by piece as
   * the caller {@linkplain ChunkSink#put puts} them (counted as one message when opened). The peer
   * reads it with {@link #receiveLongs(int, int, ChunkListener)}.
   */
  ChunkSink openChunked(int tag, int length);

  /**
   * Sends {@code data} under {@code tag} in pieces of at most {@link #chunkLongs()} elements, as
   * one message. The array may be reused by the caller after return.
   */
  default void sendChunked(int tag, long[] data) {
    Chunks.putAll(openChunked(tag, data.length), data, chunkLongs());
  }

  /**
   * Receives a chunked message of exactly {@code length} elements under {@code tag}, handing each
   * piece to {@code listener} on this thread as it arrives, in order. Each piece waits at most
   * {@link #timeout()}; a closed or failed peer ends the wait with {@link LinkClosedException}, as
   * {@link #receiveLongs(int)} does.
   */
  void receiveLongs(int tag, int length, ChunkListener listener);

  /**
   * Elements per piece of {@link #sendChunked}, {@link Integer#MAX_VALUE} when chunking is off;
   * receivers may use it as the grain of their work.
   */
  default int chunkLongs() {
    return Chunks.configuredLongs();
  }

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
