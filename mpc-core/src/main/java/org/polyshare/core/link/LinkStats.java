package org.polyshare.core.link;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Traffic counters of one link end.
 *
 * <p>A <em>round</em> is a maximal run of sends not interrupted by a receive: a party that sends,
 * waits for the answer and sends again has used two rounds. Two parties exchanging shares at the
 * same time each count one round for the exchange.
 */
public final class LinkStats {
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong bytesReceived = new AtomicLong();
  private final AtomicLong messagesSent = new AtomicLong();
  private final AtomicLong messagesReceived = new AtomicLong();
  private final AtomicLong rounds = new AtomicLong();
  private volatile boolean lastWasReceive = true;

  /** Records an outgoing payload of {@code bytes}. */
  public void onSend(long bytes) {
    bytesSent.addAndGet(bytes);
    messagesSent.incrementAndGet();
    if (lastWasReceive) {
      rounds.incrementAndGet();
      lastWasReceive = false;
    }
  }

  /** Records an incoming payload of {@code bytes}, consumed by a receive. */
  public void onReceive(long bytes) {
    bytesReceived.addAndGet(bytes);
    messagesReceived.incrementAndGet();
    lastWasReceive = true;
  }

  public long bytesSent() {
    return bytesSent.get();
  }

  public long bytesReceived() {
    return bytesReceived.get();
  }

  public long messagesSent() {
    return messagesSent.get();
  }

  public long messagesReceived() {
    return messagesReceived.get();
  }

  public long rounds() {
    return rounds.get();
  }

  public Snapshot snapshot() {
    return new Snapshot(bytesSent(), bytesReceived(), messagesSent(), messagesReceived(), rounds());
  }

  public void reset() {
    bytesSent.set(0);
    bytesReceived.set(0);
    messagesSent.set(0);
    messagesReceived.set(0);
    rounds.set(0);
    lastWasReceive = true;
  }

  /** An immutable reading of the counters; {@link #minus} gives the traffic of a phase. */
  public record Snapshot(
      long bytesSent, long bytesReceived, long messagesSent, long messagesReceived, long rounds) {
    public Snapshot minus(Snapshot earlier) {
      return new Snapshot(
          bytesSent - earlier.bytesSent,
          bytesReceived - earlier.bytesReceived,
          messagesSent - earlier.messagesSent,
          messagesReceived - earlier.messagesReceived,
          rounds - earlier.rounds);
    }
  }
}
