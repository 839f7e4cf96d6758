package org.polyshare.core.link;

import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link PartyLink} decorator that emulates a network profile in the sending direction.
 *
 * <p>Model: one FIFO wire per direction. A message of {@code b} bytes starts when the wire is free,
 * occupies it for {@code 8b / bandwidth}, and reaches the peer half a round trip after it left:
 * {@code depart = max(now, wireFree) + 8b/bw}, {@code arrive = depart + rtt/2}. The message is
 * handed to the underlying link at {@code arrive}, so the receiver cannot see it earlier. Like a
 * socket with a send buffer of {@link #SEND_BUFFER_BYTES}, a send returns at once while the wire's
 * backlog fits in the buffer and otherwise blocks until it does (so a fast sender cannot pile
 * gigabytes into the emulated wire; what is queued stays bounded). Wrap both ends to shape both
 * directions. The real link's own latency adds on top, so shaped timings are upper bounds of the
 * profile.
 *
 * <p>A chunked message ({@link #openChunked}) is shaped piece by piece: each piece occupies the
 * wire for its own bytes and reaches the peer half a round trip after it left, so the first piece
 * of a large message arrives after {@code 8·piece/bandwidth + rtt/2} rather than after the whole
 * message, as on a real wire.
 *
 * <p>Traffic is counted at this end when the party sends or receives ({@link #stats}), not when the
 * emulated wire hands a message over: a meter that reads the counters around a phase then sees
 * exactly that phase's sends, as at an unshaped link, whatever is still in flight.
 *
 * <p>Messages reach the inner link strictly in send order (one wire thread takes them from a FIFO
 * queue, arrival times being non-decreasing): the receiving mailboxes rely on per-tag order.
 */
public final class ShapedLink extends ForwardingPartyLink {
  private final NetworkProfile profile;
  private final Thread wire;
  private final LinkedBlockingQueue<InFlight> queue = new LinkedBlockingQueue<>();
  private final long halfRttNanos;
  private long wireFreeAt;
  private final LinkStats stats = new LinkStats();
  private volatile LinkException failure;
  private volatile boolean closing;

  private record InFlight(long arriveAt, Runnable deliver) {}

  private static final InFlight END = new InFlight(0, () -> {});

  /** Emulated send buffer: the backlog (not yet on the wire) a send may leave without blocking. */
  public static final long SEND_BUFFER_BYTES = 4L << 20;

  private final long bufferNanos;

  public ShapedLink(PartyLink inner, NetworkProfile profile) {
    super(inner);
    this.profile = profile;
    this.halfRttNanos = profile.roundTrip().toNanos() / 2;
    this.bufferNanos =
        profile.bitsPerSecond() == 0
            ? Long.MAX_VALUE
            : SEND_BUFFER_BYTES * 8L * 1_000_000_000L / profile.bitsPerSecond();
    this.wire = new Thread(this::deliverInOrder, "shaped-wire-" + delegate.peerName());
    wire.setDaemon(true);
    wire.start();
  }

  private void deliverInOrder() {
    try {
      while (true) {
        InFlight m = queue.take();
        if (m == END) {
          return;
        }
        for (long wait; (wait = m.arriveAt - System.nanoTime()) > 0; ) {
          LockSupport.parkNanos(wait);
        }
        try {
          m.deliver.run();
        } catch (LinkException e) {
          failure = e;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Wraps {@code link} unless the profile is unshaped. */
  public static PartyLink wrap(PartyLink link, NetworkProfile profile) {
    return profile.shaped() ? new ShapedLink(link, profile) : link;
  }

  public NetworkProfile profile() {
    return profile;
  }

  private synchronized void schedule(long bytes, Runnable deliver) {
    LinkException f = failure;
    if (f != null) {
      throw f;
    }
    if (closing) {
      throw new LinkClosedException("shaped link to " + delegate.peerName() + " is closed");
    }
    long now = System.nanoTime();
    // Back-pressure: wait until the backlog ahead of this message fits in the send buffer.
    while (wireFreeAt - now > bufferNanos) {
      LockSupport.parkNanos(wireFreeAt - now - bufferNanos);
      now = System.nanoTime();
    }
    long serialize =
        profile.bitsPerSecond() == 0 ? 0 : (bytes * 8L * 1_000_000_000L) / profile.bitsPerSecond();
    long depart = Math.max(now, wireFreeAt) + serialize;
    wireFreeAt = depart;
    queue.add(new InFlight(depart + halfRttNanos, deliver));
  }

  @Override
  public void send(int tag, long[] data) {
    long[] copy = data.clone();
    stats.onSend(8L * copy.length);
    schedule(8L * copy.length, () -> delegate.send(tag, copy));
  }

  @Override
  public void send(int tag, byte[] data) {
    byte[] copy = data.clone();
    stats.onSend(copy.length);
    schedule(copy.length, () -> delegate.send(tag, copy));
  }

  @Override
  public ChunkSink openChunked(int tag, int length) {
    ChunkSink[] inner = new ChunkSink[1]; // opened on the wire thread when the first piece arrives
    return Chunks.counted(
        stats,
        tag,
        length,
        (src, from, count) -> {
          long[] copy = Arrays.copyOfRange(src, from, from + count);
          schedule(
              8L * count,
              () -> {
                if (inner[0] == null) {
                  inner[0] = delegate.openChunked(tag, length);
                }
                inner[0].put(copy, 0, count);
              });
        });
  }

  @Override
  public long[] receiveLongs(int tag) {
    long[] l = delegate.receiveLongs(tag);
    stats.onReceive(8L * l.length);
    return l;
  }

  @Override
  public byte[] receiveBytes(int tag) {
    byte[] b = delegate.receiveBytes(tag);
    stats.onReceive(b.length);
    return b;
  }

  @Override
  public void receiveLongs(int tag, int length, ChunkListener listener) {
    delegate.receiveLongs(tag, length, Chunks.countedOnFirst(stats, length, listener));
  }

  /** Counted at this end when sent and when received (see the class comment). */
  @Override
  public LinkStats stats() {
    return stats;
  }

  /** Lets messages already on the wire arrive (bounded by the timeout), then closes. */
  @Override
  public void close() {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      queue.add(END);
    }
    try {
      wire.join(delegate.timeout().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      wire.interrupt();
      delegate.close();
    }
  }
}
