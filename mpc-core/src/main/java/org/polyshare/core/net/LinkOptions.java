package org.polyshare.core.net;

import java.time.Duration;
import java.util.function.Consumer;
import org.polyshare.core.link.Chunks;

/**
 * Settings of a Netty link.
 *
 * @param timeout bound on every blocking receive, and on a send blocked by back-pressure
 * @param connectTimeout bound on one TCP connect attempt (connect retries until its own deadline)
 * @param handshakeTimeout bound on the TLS handshake, on the hello exchange and, at a service, on a
 *     client's first request (the pre-session phase: kept short, see {@link LinkAcceptor})
 * @param maxPayload largest accepted payload in bytes; a bigger incoming frame ends the link
 * @param maxQueuedBytes cap on received bytes waiting unread; reading pauses at half of it, and a
 *     peer that fills it with messages this end does not read loses the link (see {@link
 *     org.polyshare.core.link.Mailbox})
 * @param lowWaterMark a blocked sender resumes when fewer bytes than this are queued
 * @param highWaterMark senders block while more bytes than this are queued (the peer is slow)
 * @param chunkBytes piece size of chunked messages ({@link
 *     org.polyshare.core.link.PartyLink#sendChunked}), 0 = one piece per message; default from
 *     {@link org.polyshare.core.link.Chunks#PROPERTY}
 */
public record LinkOptions(
    Duration timeout,
    Duration connectTimeout,
    Duration handshakeTimeout,
    int maxPayload,
    long maxQueuedBytes,
    int lowWaterMark,
    int highWaterMark,
    int chunkBytes) {

  /** Default cap on unread received bytes per link: 128 MiB (reading pauses at 64 MiB). */
  public static final long DEFAULT_MAX_QUEUED = 128L << 20;

  public LinkOptions {
    if (maxPayload <= 0
        || maxQueuedBytes <= 0
        || lowWaterMark <= 0
        || highWaterMark < lowWaterMark
        || chunkBytes < 0) {
      throw new IllegalArgumentException(
          "need maxPayload > 0, maxQueuedBytes > 0, 0 < lowWaterMark <= highWaterMark and"
              + " chunkBytes >= 0");
    }
    if (timeout.isNegative()
        || timeout.isZero()
        || connectTimeout.isNegative()
        || connectTimeout.isZero()
        || handshakeTimeout.isNegative()
        || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("link timeouts must be positive");
    }
  }

  public static LinkOptions defaults() {
    return new LinkOptions(
        Duration.ofSeconds(60),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Frames.DEFAULT_MAX_PAYLOAD,
        DEFAULT_MAX_QUEUED,
        1 << 20,
        4 << 20,
        Integer.getInteger(Chunks.PROPERTY, Chunks.DEFAULT_BYTES));
  }

  public LinkOptions withTimeout(Duration t) {
    return with(d -> d.timeout = t);
  }

  public LinkOptions withConnectTimeout(Duration t) {
    return with(d -> d.connectTimeout = t);
  }

  public LinkOptions withHandshakeTimeout(Duration t) {
    return with(d -> d.handshakeTimeout = t);
  }

  public LinkOptions withMaxPayload(int bytes) {
    return with(d -> d.maxPayload = bytes);
  }

  public LinkOptions withMaxQueuedBytes(long bytes) {
    return with(d -> d.maxQueuedBytes = bytes);
  }

  public LinkOptions withWaterMarks(int low, int high) {
    return with(
        d -> {
          d.lowWaterMark = low;
          d.highWaterMark = high;
        });
  }

  /** The same options with pieces of {@code bytes} for chunked messages (0 = off). */
  public LinkOptions withChunkBytes(int bytes) {
    return with(d -> d.chunkBytes = bytes);
  }

  /** A copy of these options with {@code change} applied, checked by the canonical constructor. */
  private LinkOptions with(Consumer<Draft> change) {
    Draft d = new Draft(this);
    change.accept(d);
    return new LinkOptions(
        d.timeout,
        d.connectTimeout,
        d.handshakeTimeout,
        d.maxPayload,
        d.maxQueuedBytes,
        d.lowWaterMark,
        d.highWaterMark,
        d.chunkBytes);
  }

  /** The components as mutable fields, so each wither names only what it changes. */
  private static final class Draft {
    Duration timeout;
    Duration connectTimeout;
    Duration handshakeTimeout;
    int maxPayload;
    long maxQueuedBytes;
    int lowWaterMark;
    int highWaterMark;
    int chunkBytes;

    Draft(LinkOptions o) {
      timeout = o.timeout;
      connectTimeout = o.connectTimeout;
      handshakeTimeout = o.handshakeTimeout;
      maxPayload = o.maxPayload;
      maxQueuedBytes = o.maxQueuedBytes;
      lowWaterMark = o.lowWaterMark;
      highWaterMark = o.highWaterMark;
      chunkBytes = o.chunkBytes;
    }
  }
}
