package org.polyshare.core.link;

import java.time.Duration;
import java.util.Arrays;

/**
 * Both ends of a link inside one JVM, for two parties on two threads. Sends copy the payload, as a
 * socket would, so neither side can observe the other's later writes.
 *
 * <p>Back-pressure, as a socket's window gives it: each end admits at most {@code maxQueuedBytes}
 * of payload that its owner has not received yet. A send that would pass the cap waits until the
 * receiver takes enough; one message is always admitted into an empty queue, whatever its size, so
 * no single message can block forever. A sender fails with {@link LinkTimeoutException} when
 * nothing drains for {@link #timeout()} (a slow but steady reader never times out), and with {@link
 * LinkClosedException} at once when either end closes. So a stream between two in-process parties
 * holds at most the cap plus one message, never the whole stream.
 */
public final class InMemoryLink implements PartyLink {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Unread bytes an end admits by default: where a network link's receiver stops reading (half of
   * its 128 MiB queue cap), so in-process runs buffer as much as party processes.
   */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 64L << 20;

  private final String name;
  private final Mailbox inbox = new Mailbox();
  private final LinkStats stats = new LinkStats();
  private final Duration timeout;
  private final long maxQueuedBytes;
  private InMemoryLink peer;
  private volatile boolean closed;

  /** Guards {@link #queued}: bytes delivered to this end and not yet received by its owner. */
  private final Object window = new Object();

  private long queued;
  private long peakQueued;

  private InMemoryLink(String name, Duration timeout, long maxQueuedBytes) {
    if (maxQueuedBytes < 1) {
      throw new IllegalArgumentException(
          "the queue cap must be at least one byte, got " + maxQueuedBytes);
    }
    this.name = name;
    this.timeout = timeout;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /**
   * A connected pair: {@code [0]} is party 0's end, {@code [1]} party 1's; each admits at most
   * {@code maxQueuedBytes} unread (see the class comment).
   */
  public static InMemoryLink[] pair(Duration timeout, long maxQueuedBytes) {
    InMemoryLink a = new InMemoryLink("party 0", timeout, maxQueuedBytes);
    InMemoryLink b = new InMemoryLink("party 1", timeout, maxQueuedBytes);
    a.peer = b;
    b.peer = a;
    return new InMemoryLink[] {a, b};
  }

  public static InMemoryLink[] pair(Duration timeout) {
    return pair(timeout, DEFAULT_MAX_QUEUED_BYTES);
  }

  public static InMemoryLink[] pair() {
    return pair(DEFAULT_TIMEOUT);
  }

  /** Bytes delivered to this end that its owner has not received yet. */
  public long queuedBytes() {
    synchronized (window) {
      return queued;
    }
  }

  /** The most bytes {@link #queuedBytes} ever held at once. */
  public long peakQueuedBytes() {
    synchronized (window) {
      return peakQueued;
    }
  }

  /**
   * Called by the sender on the receiving end: waits until {@code bytes} fit under the cap (or the
   * queue is empty), then counts them in. The stall clock restarts whenever the queue shrinks.
   */
  private void admit(long bytes, InMemoryLink sender) {
    synchronized (window) {
      long wait = timeout.toNanos();
      long deadline = System.nanoTime() + wait;
      long backlog = queued;
      while (queued > 0 && queued + bytes > maxQueuedBytes) {
        if (closed || sender.closed) {
          throw new LinkClosedException(
              "could not send to " + name + ": the link of " + sender.name + " is closed");
        }
        if (queued < backlog) {
          backlog = queued;
          deadline = System.nanoTime() + wait;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new LinkTimeoutException(
              "could not send "
                  + bytes
                  + " bytes to "
                  + name
                  + ": nothing drained in "
                  + timeout.toMillis()
                  + " ms with "
                  + queued
                  + " bytes unread (cap "
                  + maxQueuedBytes
                  + "; the peer is stalled or not reading)");
        }
        try {
          window.wait(Math.max(1, left / 1_000_000), 0);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new LinkClosedException("interrupted while sending to " + name);
        }
      }
      queued += bytes;
      peakQueued = Math.max(peakQueued, queued);
    }
  }

  /** The owner received {@code bytes}: room for waiting senders. */
  private void drained(long bytes) {
    synchronized (window) {
      queued -= bytes;
      window.notifyAll();
    }
  }

  private void wakeSenders() {
    synchronized (window) {
      window.notifyAll();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new LinkClosedException("link of " + name + " to " + peer.name + " is closed");
    }
  }

  @Override
  public void send(int tag, long[] data) {
    checkOpen();
    long[] copy = data.clone();
    peer.admit(8L * copy.length, this);
    stats.onSend(8L * copy.length);
    peer.inbox.deliver(tag, copy);
  }

  @Override
  public void send(int tag, byte[] data) {
    checkOpen();
    byte[] copy = data.clone();
    peer.admit(copy.length, this);
    stats.onSend(copy.length);
    peer.inbox.deliver(tag, copy);
  }

  @Override
  public ChunkSink openChunked(int tag, int length) {
    checkOpen();
    return Chunks.counted(
        stats,
        tag,
        length,
        (src, from, count) -> {
          checkOpen();
          long[] piece = Arrays.copyOfRange(src, from, from + count);
          peer.admit(8L * count, this);
          peer.inbox.deliver(tag, piece);
        });
  }

  @Override
  public void receiveLongs(int tag, int length, ChunkListener listener) {
    Chunks.receive(
        stats,
        tag,
        length,
        () -> {
          long[] piece = Mailbox.asLongs(inbox.take(tag, timeout, peer.name), tag, peer.name);
          drained(8L * piece.length);
          return piece;
        },
        listener,
        peer.name);
  }

  @Override
  public long[] receiveLongs(int tag) {
    long[] l = Mailbox.asLongs(inbox.take(tag, timeout, peer.name), tag, peer.name);
    drained(8L * l.length);
    stats.onReceive(8L * l.length);
    return l;
  }

  @Override
  public byte[] receiveBytes(int tag) {
    byte[] b = Mailbox.asBytes(inbox.take(tag, timeout, peer.name), tag, peer.name);
    drained(b.length);
    stats.onReceive(b.length);
    return b;
  }

  @Override
  public Duration timeout() {
    return timeout;
  }

  @Override
  public LinkStats stats() {
    return stats;
  }

  @Override
  public String peerName() {
    return peer.name;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      inbox.fail(new LinkClosedException("closed locally by " + name));
      peer.inbox.fail(new LinkClosedException(name + " closed the link"));
      wakeSenders(); // a sender waiting on either end's window sees the close at once
      peer.wakeSenders();
    }
  }
}
