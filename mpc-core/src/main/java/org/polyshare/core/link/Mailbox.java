package org.polyshare.core.link;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-tag FIFO queues of incoming payloads ({@code long[]} or {@code byte[]}), shared by the link
 * implementations: the transport thread {@link #deliver}s, the protocol thread {@link #take}s with
 * a timeout. {@link #fail} wakes every waiter with the failure so nothing hangs on a dead peer.
 */
public final class Mailbox {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final Map<Integer, ArrayDeque<Object>> queues = new HashMap<>();
  private LinkException failure;

  public void deliver(int tag, Object payload) {
    lock.lock();
    try {
      if (failure != null) {
        return;
      }
      queues.computeIfAbsent(tag, t -> new ArrayDeque<>()).addLast(payload);
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
          return q.pollFirst();
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
        nanos = arrived.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LinkClosedException("interrupted while waiting for tag " + tag + " from " + peerName);
    } finally {
      lock.unlock();
    }
  }

  static long[] asLongs(Object payload, int tag, String peerName) {
    if (payload instanceof long[] l) {
      return l;
    }
    throw new LinkException(
        "protocol error: expected ring elements under tag " + tag + " from " + peerName + ", got bytes");
  }

  static byte[] asBytes(Object payload, int tag, String peerName) {
    if (payload instanceof byte[] b) {
      return b;
    }
    throw new LinkException(
        "protocol error: expected bytes under tag " + tag + " from " + peerName + ", got ring elements");
  }
}
