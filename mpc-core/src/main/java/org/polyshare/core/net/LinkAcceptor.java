package org.polyshare.core.net;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.link.LinkTimeoutException;

/**
 * The accept loop of a service — the dealer and party 0's service share it. It takes the
 * authenticated links of a {@link LinkServer} and runs each one's pre-session — the hello exchange
 * and the peer's first protocol message — on the event loop, without a thread of its own, within
 * the handshake timeout counted from the moment TLS completed. Only then is the link handed to
 * {@link Admission#admit}. A peer that connects and stalls, or trickles its first message, holds no
 * session slot and no thread, and is cut at the deadline with an error naming the timeout. At most
 * {@code maxPending} pre-sessions run at once; connections beyond are turned away.
 *
 * <p>{@link #stopAccepting} closes the listening socket and refuses the pre-sessions still running:
 * the first step of a graceful shutdown ({@link DrainReport}).
 */
public final class LinkAcceptor implements AutoCloseable {
  /** What the service does with the connections. */
  public interface Admission {
    /**
     * A link whose peer said hello and whose first message is queued. Runs on the acceptor's
     * admission thread, one link at a time: decide quickly and hand the session to a worker.
     */
    void admit(NettyLink link);

    /**
     * A connection refused before admission: {@code cause} is the TLS, role or hello failure, a
     * {@link LinkTimeoutException} for a pre-session timeout, or null when the acceptor itself
     * turned the connection away (overload).
     */
    void refused(String why, Throwable cause);
  }

  private static final Duration POLL = Duration.ofMillis(200);

  private final LinkServer server;
  private final Hello mine;
  private final int maxPending;
  private final Admission admission;
  private final Set<NettyLink> pending = ConcurrentHashMap.newKeySet();
  private final ExecutorService admitter;
  private final Thread loop;
  private volatile String stopReason;

  /**
   * Starts accepting on {@code server} at once.
   *
   * @param mine the hello this end sends (asserting no session id or plan, so any client may come)
   * @param name prefix of the acceptor's thread names, e.g. {@code "dealer"}
   */
  public LinkAcceptor(
      LinkServer server, Hello mine, int maxPending, String name, Admission admission) {
    if (maxPending < 1) {
      throw new IllegalArgumentException("maxPending must be >= 1, got " + maxPending);
    }
    this.server = server;
    this.mine = mine;
    this.maxPending = maxPending;
    this.admission = admission;
    this.admitter = Executors.newSingleThreadExecutor(r -> daemon(r, name + "-admit"));
    this.loop = daemon(this::acceptLoop, name + "-accept");
    loop.start();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  public int port() {
    return server.port();
  }

  /** True until {@link #stopAccepting}. */
  public boolean accepting() {
    return stopReason == null;
  }

  /** Connections in their pre-session now. */
  public int pendingCount() {
    return pending.size();
  }

  private void acceptLoop() {
    while (stopReason == null) {
      NettyLink link;
      try {
        link = server.accept(POLL);
      } catch (LinkTimeoutException e) {
        continue; // poll again, so a stop is noticed
      } catch (LinkException e) {
        if (stopReason == null) {
          admission.refused(e.getMessage(), e);
        }
        continue;
      }
      begin(link);
    }
  }

  private void begin(NettyLink link) {
    String stop = stopReason;
    if (stop != null) {
      link.abort(stop);
      return;
    }
    if (pending.size() >= maxPending) {
      String why =
          "too many connections (" + maxPending + ") are still in their handshake; try again later";
      link.abort(why);
      admission.refused("turned away " + link.peerName() + ": " + why, null);
      return;
    }
    long ms = server.options().handshakeTimeout().toMillis();
    ScheduledFuture<?> deadline;
    try {
      deadline =
          link.channel()
              .eventLoop()
              .schedule(
                  () -> {
                    String why =
                        "no hello and first request within "
                            + ms
                            + " ms of connecting (pre-session timeout)";
                    link.refuse(
                        why,
                        new LinkTimeoutException(
                            "pre-session with " + link.peerName() + " cut: " + why));
                  },
                  ms,
                  TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      link.close(); // the transport is shutting down
      return;
    }
    pending.add(link);
    link.handshakeAsync(mine)
        .thenCompose(h -> link.firstMessage())
        .whenCompleteAsync(
            (v, err) -> {
              deadline.cancel(false);
              pending.remove(link);
              if (err != null) {
                Throwable c =
                    err instanceof CompletionException && err.getCause() != null
                        ? err.getCause()
                        : err;
                admission.refused(
                    c.getMessage(), c); // the link failed, told its peer and closed itself
                return;
              }
              String s = stopReason;
              if (s != null) {
                link.abort(s);
                return;
              }
              admission.admit(link);
            },
            inlineWhenStopped());
  }

  /** The admission thread, or the completing thread once it is shut down (to end the link). */
  private Executor inlineWhenStopped() {
    return r -> {
      try {
        admitter.execute(r);
      } catch (RejectedExecutionException e) {
        r.run();
      }
    };
  }

  /**
   * Stops accepting: closes the listening socket and ends every connection still in its
   * pre-session, telling its peer {@code why}. Admitted links are the service's. Idempotent.
   */
  public void stopAccepting(String why) {
    synchronized (this) {
      if (stopReason != null) {
        return;
      }
      stopReason = why;
    }
    server.close();
    if (Thread.currentThread() != loop) {
      try {
        loop.join(POLL.toMillis() * 10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (NettyLink l : pending) {
      l.abort(why);
    }
    admitter.shutdown();
  }

  /**
   * Waits until the accept loop and the admission in progress, if any, have ended (after {@link
   * #stopAccepting}), at most {@code d} for each: after true, no more {@link Admission#admit}.
   */
  public boolean awaitStopped(Duration d) throws InterruptedException {
    loop.join(Math.max(1, d.toMillis()));
    return !loop.isAlive()
        && admitter.awaitTermination(Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    stopAccepting("the service is closing");
  }
}
