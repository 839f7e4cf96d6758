package org.polyshare.core.link;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PartyLink} decorator that emulates a network profile in the sending direction.
 *
 * <p>Model: one FIFO wire per direction. A message of {@code b} bytes starts when the wire is
 * free, occupies it for {@code 8b / bandwidth}, and reaches the peer half a round trip after it
 * left: {@code depart = max(now, wireFree) + 8b/bw}, {@code arrive = depart + rtt/2}. The message
 * is handed to the underlying link at {@code arrive}, so the receiver cannot see it earlier; the
 * sender does not block, as with a socket's send buffer. Wrap both ends to shape both directions.
 * The real link's own latency adds on top, so shaped timings are upper bounds of the profile.
 */
public final class ShapedLink implements PartyLink {
  private final PartyLink inner;
  private final NetworkProfile profile;
  private final ScheduledExecutorService wire;
  private final long halfRttNanos;
  private long wireFreeAt;
  private volatile LinkException failure;

  public ShapedLink(PartyLink inner, NetworkProfile profile) {
    this.inner = inner;
    this.profile = profile;
    this.halfRttNanos = profile.roundTrip().toNanos() / 2;
    this.wire =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "shaped-wire-" + inner.peerName());
              t.setDaemon(true);
              return t;
            });
  }

  /** Wraps {@code link} unless the profile is unshaped. */
  public static PartyLink wrap(PartyLink link, NetworkProfile profile) {
    return profile.shaped() ? new ShapedLink(link, profile) : link;
  }

  public NetworkProfile profile() {
    return profile;
  }

  private synchronized long arrivalDelayNanos(long bytes) {
    long now = System.nanoTime();
    long serialize =
        profile.bitsPerSecond() == 0 ? 0 : (bytes * 8L * 1_000_000_000L) / profile.bitsPerSecond();
    long depart = Math.max(now, wireFreeAt) + serialize;
    wireFreeAt = depart;
    return depart + halfRttNanos - now;
  }

  private void schedule(long bytes, Runnable deliver) {
    LinkException f = failure;
    if (f != null) {
      throw f;
    }
    long delay = arrivalDelayNanos(bytes);
    wire.schedule(
        () -> {
          try {
            deliver.run();
          } catch (LinkException e) {
            failure = e;
          }
        },
        delay,
        TimeUnit.NANOSECONDS);
  }

  @Override
  public void send(int tag, long[] data) {
    long[] copy = data.clone();
    schedule(8L * copy.length, () -> inner.send(tag, copy));
  }

  @Override
  public void send(int tag, byte[] data) {
    byte[] copy = data.clone();
    schedule(copy.length, () -> inner.send(tag, copy));
  }

  @Override
  public long[] receiveLongs(int tag) {
    return inner.receiveLongs(tag);
  }

  @Override
  public byte[] receiveBytes(int tag) {
    return inner.receiveBytes(tag);
  }

  @Override
  public Duration timeout() {
    return inner.timeout();
  }

  @Override
  public LinkStats stats() {
    return inner.stats();
  }

  @Override
  public String peerName() {
    return inner.peerName();
  }

  /** Lets messages already on the wire arrive (bounded by the timeout), then closes. */
  @Override
  public void close() {
    wire.shutdown();
    try {
      wire.awaitTermination(inner.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      wire.shutdownNow();
      inner.close();
    }
  }
}
