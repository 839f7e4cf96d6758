package org.polyshare.core.link;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-tag FIFO queues of incoming payloads ({@code long[]} or {@code byte[]}), shared by the link
 * implementations: the transport thread {@link #deliver}s, the protocol thread {@link #take}s with
 * a timeout. {@link #fail} wakes every waiter with the failure so nothing hangs on a dead peer.
 *
 * <p>A mailbox facing a network peer is bounded. It refuses a tag outside its {@link TagSet}
 * (nobody would read it), and it caps the bytes queued unread: at half the cap it asks the
 * transport to stop reading ({@link Flow#reading}, TCP back-pressure reaches the sender) and lets
 * it read again below a quarter. A receiver waiting for a tag that is not queued resumes reading —
 * what it waits for is behind the queue — and then the full cap applies: a frame under another tag
 * that would take the queue past it is refused, because the peer has sent more than this end reads
 * before the message it waits for (a flood, or a protocol out of step). The transport ends the
 * link.
 */
public final class Mailbox {
  /** Turns the transport's reading off and on (for Netty: the channel's auto-read). */
  @FunctionalInterface
  public interface Flow {
    void reading(boolean on);

    Flow NONE = on -> {};
  }

  /** Bytes charged per queued message beyond its payload (queue node, array header, map entry). */
  static final int OVERHEAD = 64;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final Map<Integer, ArrayDeque<Object>> queues = new HashMap<>();
  private final TagSet expected;
  private final long maxQueuedBytes;
  private final Flow flow;
  private long queued;
  private volatile long peakQueued; // written under the lock, read without it
  private boolean paused;
  private int starving; // receivers waiting for a tag that is not queued
  private int lastWanted;
  private LinkException failure;

  /** Unbounded, every tag: for a peer in the same process. */
  public Mailbox() {
    this(TagSet.ANY, Long.MAX_VALUE, Flow.NONE);
  }

  public Mailbox(TagSet expected, long maxQueuedBytes, Flow flow) {
    if (maxQueuedBytes <= 0) {
      throw new IllegalArgumentException("the queue cap must be positive, got " + maxQueuedBytes);
    }
    this.expected = expected;
    this.maxQueuedBytes = maxQueuedBytes;
    this.flow = flow;
  }

  public void deliver(int tag, Object payload) {
    deliver(tag, payload, "the peer");
  }

  /**
   * Queues {@code payload} under {@code tag}.
   *
   * @throws LinkException the tag is not expected, or the queue would pass its cap; the caller ends
   *     the link with this message (it names no data, only tags and sizes)
   */
  public void deliver(int tag, Object payload, String peerName) {
    long size = sizeOf(payload) + OVERHEAD;
    lock.lock();
    try {
      if (failure != null) {
        return;
      }
      if (!expected.contains(tag)) {
        throw new LinkException(
            "refused tag "
                + TagSet.hex(tag)
                + " from "
                + peerName
                + ": nothing here reads it"
                + " (this end reads "
                + expected
                + ")");
      }
      // Over the cap with a receiver waiting for another tag: the peer sent more than this end
      // reads before what it waits for. Without a waiting receiver reading is paused already and
      // only bytes read before the pause still arrive (bounded by one read and one frame).
      if (starving > 0 && tag != lastWanted && queued > 0 && queued + size > maxQueuedBytes) {
        throw new LinkException(
            peerName
                + " sent more than "
                + maxQueuedBytes
                + " bytes that are not read: "
                + describeQueued()
                + " wait unread"
                + (starving > 0 ? " while this end waits for tag " + TagSet.hex(lastWanted) : "")
                + " (a flood, or the two ends' protocols are out of step)");
      }
      queues.computeIfAbsent(tag, t -> new ArrayDeque<>()).addLast(payload);
      queued += size;
      peakQueued = Math.max(peakQueued, queued);
      if (!paused && starving == 0 && queued >= maxQueuedBytes / 2) {
        paused = true;
        flow.reading(false);
      }
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Makes every pending and future {@link #take} throw {@code cause}; the first failure wins. */
  public void fail(LinkException cause) {
    lock.lock();
    try {
      if (failure == null) {
        failure = cause;
      }
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public boolean failed() {
    lock.lock();
    try {
      return failure != null;
    } finally {
      lock.unlock();
    }
  }

  /** Bytes queued unread, payloads plus {@link #OVERHEAD} per message. */
  public long queuedBytes() {
    lock.lock();
    try {
      return queued;
    } finally {
      lock.unlock();
    }
  }

  /** The most bytes ever queued unread at once (as {@link #queuedBytes}): what the cap bounded. */
  public long peakQueuedBytes() {
    return peakQueued;
  }

  /**
   * The next payload under {@code tag}. Messages already queued are handed out even after a
   * failure, so a peer's last words before it closed are not lost.
   */
  public Object take(int tag, Duration timeout, String peerName) {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        ArrayDeque<Object> q = queues.get(tag);
        if (q != null && !q.isEmpty()) {
          Object p = q.pollFirst();
          if (q.isEmpty()) {
            queues.remove(tag);
          }
          queued -= sizeOf(p) + OVERHEAD;
          if (paused && queued < maxQueuedBytes / 4) {
            paused = false;
            flow.reading(true);
          }
          return p;
        }
        if (failure != null) {
          throw new LinkClosedException(
              "link to " + peerName + " is closed (" + failure.getMessage() + ")", failure);
        }
        if (nanos <= 0) {
          throw new LinkTimeoutException(
              "no message with tag "
                  + tag
                  + " from "
                  + peerName
                  + " within "
                  + timeout.toMillis()
                  + " ms; the peer is stalled or gone");
        }
        if (paused) {
          paused =
              false; // what this receiver waits for is behind the queue: read on, up to the cap
          flow.reading(true);
        }
        starving++;
        lastWanted = tag;
        try {
          nanos = arrived.awaitNanos(nanos);
        } finally {
          starving--;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LinkClosedException(
          "interrupted while waiting for tag " + tag + " from " + peerName);
    } finally {
      lock.unlock();
    }
  }

  private String describeQueued() {
    StringJoiner j = new StringJoiner(", ");
    int shown = 0;
    for (Map.Entry<Integer, ArrayDeque<Object>> e : queues.entrySet()) {
      if (shown++ == 4) {
        j.add("…");
        break;
      }
      long bytes = 0;
      for (Object p : e.getValue()) {
        bytes += sizeOf(p);
      }
      j.add(
          e.getValue().size()
              + " message(s), "
              + bytes
              + " bytes under tag "
              + TagSet.hex(e.getKey()));
    }
    return j.toString();
  }

  private static long sizeOf(Object payload) {
    return payload instanceof long[] l ? 8L * l.length : ((byte[]) payload).length;
  }

  public static long[] asLongs(Object payload, int tag, String peerName) {
    return as(long[].class, payload, tag, peerName);
  }

  public static byte[] asBytes(Object payload, int tag, String peerName) {
    return as(byte[].class, payload, tag, peerName);
  }

  /**
   * {@code payload} as {@code type}; the other payload kind under {@code tag} is a protocol error.
   */
  private static <T> T as(Class<T> type, Object payload, int tag, String peerName) {
    if (type.isInstance(payload)) {
      return type.cast(payload);
    }
    boolean ring = type == long[].class;
    throw new LinkException(
        "protocol error: expected "
            + (ring ? "ring elements" : "bytes")
            + " under tag "
            + tag
            + " from "
            + peerName
            + ", got "
            + (ring ? "bytes" : "ring elements"));
  }
}
