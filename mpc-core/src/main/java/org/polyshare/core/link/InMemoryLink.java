package org.polyshare.core.link;

import java.time.Duration;
import java.util.Arrays;

/**
 * Both ends of a link inside one JVM, for two parties on two threads. Sends copy the payload, as a
 * socket would, so neither side can observe the other's later writes.
 */
public final class InMemoryLink implements PartyLink {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final Mailbox inbox = new Mailbox();
  private final LinkStats stats = new LinkStats();
  private final Duration timeout;
  private InMemoryLink peer;
  private volatile boolean closed;

  private InMemoryLink(String name, Duration timeout) {
    this.name = name;
    this.timeout = timeout;
  }

  /** A connected pair: {@code [0]} is party 0's end, {@code [1]} party 1's. */
  public static InMemoryLink[] pair(Duration timeout) {
    InMemoryLink a = new InMemoryLink("party 0", timeout);
    InMemoryLink b = new InMemoryLink("party 1", timeout);
    a.peer = b;
    b.peer = a;
    return new InMemoryLink[] {a, b};
  }

  public static InMemoryLink[] pair() {
    return pair(DEFAULT_TIMEOUT);
  }

  private void checkOpen() {
    if (closed) {
      throw new LinkClosedException("link of " + name + " to " + peer.name + " is closed");
    }
  }

  @Override
  public void send(int tag, long[] data) {
    checkOpen();
    stats.onSend(8L * data.length);
    peer.inbox.deliver(tag, data.clone());
  }

  @Override
  public void send(int tag, byte[] data) {
    checkOpen();
    stats.onSend(data.length);
    peer.inbox.deliver(tag, data.clone());
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
          peer.inbox.deliver(tag, Arrays.copyOfRange(src, from, from + count));
        });
  }

  @Override
  public void receiveLongs(int tag, int length, ChunkListener listener) {
    Chunks.receive(
        stats,
        tag,
        length,
        () -> Mailbox.asLongs(inbox.take(tag, timeout, peer.name), tag, peer.name),
        listener,
        peer.name);
  }

  @Override
  public long[] receiveLongs(int tag) {
    long[] l = Mailbox.asLongs(inbox.take(tag, timeout, peer.name), tag, peer.name);
    stats.onReceive(8L * l.length);
    return l;
  }

  @Override
  public byte[] receiveBytes(int tag) {
    byte[] b = Mailbox.asBytes(inbox.take(tag, timeout, peer.name), tag, peer.name);
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
    }
  }
}
