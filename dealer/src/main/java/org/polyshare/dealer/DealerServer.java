package org.polyshare.dealer;

import com.google.common.io.BaseEncoding;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.Dealer;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.link.LinkTimeoutException;
import org.polyshare.core.net.DealerProtocol;
import org.polyshare.core.net.Hello;
import org.polyshare.core.net.LinkOptions;
import org.polyshare.core.net.LinkServer;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.NettyLink;
import org.polyshare.core.net.Role;
import org.polyshare.core.net.TlsIdentity;
import org.polyshare.core.ops.ServiceMetrics;
import org.polyshare.core.ops.SessionMdc;
import org.polyshare.core.prg.Seed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dealer service: accepts party links (mutual TLS, party certificates only), pairs them by
 * session id, checks that both parties submitted the same plan, and deals every request with a
 * per-session {@link Dealer} — fresh seeds to both, the correction to one — streaming the
 * messages as they are computed ({@link DealerProtocol}). Many sessions run at once, one thread
 * each. Failures end only the session concerned, with the reason sent to both parties.
 */
public final class DealerServer implements AutoCloseable {
  /** Settings of the service. {@code seeds} gives each session its seed source (SecureRandom in production). */
  public record Settings(LinkOptions link, Duration pairTimeout, Duration progressEvery,
      Function<String, Supplier<Seed>> seeds) {
    public static Settings defaults() {
      return new Settings(LinkOptions.defaults().withTimeout(Duration.ofMinutes(10)), Duration.ofSeconds(60),
          Duration.ofSeconds(2), session -> Seed::random);
    }

    public Settings withLink(LinkOptions l) {
      return new Settings(l, pairTimeout, progressEvery, seeds);
    }

    public Settings withPairTimeout(Duration d) {
      return new Settings(link, d, progressEvery, seeds);
    }

    public Settings withSeeds(Function<String, Supplier<Seed>> s) {
      return new Settings(link, pairTimeout, progressEvery, s);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(DealerServer.class);

  private final Settings settings;
  private final DealerMetrics metrics;
  private final LinkServer server;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "dealer-session");
    t.setDaemon(true);
    return t;
  });
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "dealer-timer");
    t.setDaemon(true);
    return t;
  });
  private final Thread acceptor;
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private volatile boolean closed;

  /**
   * Starts listening on {@code port} (0 = ephemeral) and serving.
   *
   * @deprecated the dealer logs through SLF4J now and {@code log} is unused; use
   *     {@link #DealerServer(NetTransport, TlsIdentity, int, Settings, DealerMetrics)}
   */
  @Deprecated
  public DealerServer(NetTransport net, TlsIdentity identity, int port, Settings settings, PrintStream log) {
    this(net, identity, port, settings, new DealerMetrics());
  }

  /** Starts listening on {@code port} (0 = ephemeral) and serving, counting into {@code metrics}. */
  public DealerServer(NetTransport net, TlsIdentity identity, int port, Settings settings, DealerMetrics metrics) {
    if (identity.role() != Role.DEALER) {
      throw new IllegalArgumentException("the dealer needs the dealer's certificate, got " + identity.role().displayName()
          + "'s");
    }
    this.settings = settings;
    this.metrics = metrics;
    metrics.trackActive(sessions::size);
    this.server = net.listen(port, identity, Set.of(Role.PARTY0, Role.PARTY1), settings.link());
    this.acceptor = new Thread(this::acceptLoop, "dealer-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.port();
  }

  /** Sessions currently waiting for a party or being served. */
  public int activeSessions() {
    return sessions.size();
  }

  public int completedSessions() {
    return completed.get();
  }

  public int failedSessions() {
    return failed.get();
  }

  public DealerMetrics metrics() {
    return metrics;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        NettyLink link = server.accept(Duration.ofMillis(500));
        workers.submit(() -> admit(link));
      } catch (LinkTimeoutException e) {
        // poll again, so close() is noticed
      } catch (LinkException e) {
        if (!closed) {
          metrics.refused(e);
          LOG.warn("dealer: refused a connection: {}", e.getMessage());
        }
      }
    }
  }

  private void admit(NettyLink link) {
    Hello hello;
    try {
      hello = link.handshake(Hello.of(Role.DEALER, "", null));
    } catch (LinkException e) {
      metrics.refused(ServiceMetrics.Refusal.HANDSHAKE);
      LOG.warn("dealer: handshake failed: {}", e.getMessage());
      return;
    }
    if (hello.sessionId().isEmpty() || hello.planHash().length == 0) {
      link.abort("the dealer needs a session id and the plan hash in the hello");
      return;
    }
    Session s = sessions.computeIfAbsent(hello.sessionId(), Session::new);
    SessionMdc.run(hello.sessionId(), () -> s.join(link, hello));
  }

  @Override
  public void close() {
    closed = true;
    server.close();
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Session s : sessions.values()) {
      s.abortAll("the dealer is shutting down");
    }
    workers.shutdownNow();
    timers.shutdownNow();
  }

  private static String hex(byte[] b) {
    return BaseEncoding.base16().lowerCase().encode(b);
  }

  /** One party pair's session. */
  private final class Session {
    private final String id;
    private final NettyLink[] links = new NettyLink[2];
    private final Hello[] hellos = new Hello[2];
    private boolean started;
    private boolean ended;

    Session(String id) {
      this.id = id;
      metrics.sessionStarted();
    }

    synchronized void join(NettyLink link, Hello hello) {
      int p = link.peerRole().partyIndex();
      if (!started && links[p] != null && !links[p].isOpen()) {
        // the earlier connection of this party died while waiting for its peer: take the new one
        LOG.info("dealer: session '{}': party {} reconnected", id, p);
        links[p] = null;
      }
      if (ended || started || links[p] != null) {
        link.abort("session '" + id + "' already has party " + p + " connected");
        return;
      }
      links[p] = link;
      hellos[p] = hello;
      LOG.info("dealer: session '{}': party {} joined from {}", id, p, link.peerName());
      if (links[1 - p] == null) {
        link.onClose(() -> leftWhileWaiting(p, link));
        timers.schedule(this::pairTimeout, settings.pairTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return;
      }
      started = true;
      workers.submit(() -> SessionMdc.run(id, this::run));
    }

    /** A waiting party whose connection closes frees the session at once, so it may rejoin. */
    private synchronized void leftWhileWaiting(int p, NettyLink link) {
      if (!started && !ended && links[p] == link) {
        // Nobody else is in the session (it was waiting for its peer): drop it, so the party's
        // next connection starts a fresh one instead of meeting a timer set for the dead one.
        links[p] = null;
        ended = true;
        sessions.remove(id, this);
        metrics.sessionFailed("left_waiting");
        LOG.info("dealer: session '{}': party {} left while waiting for its peer", id, p);
      }
    }

    private synchronized void pairTimeout() {
      if (started || ended) {
        return;
      }
      for (int p = 0; p < 2; p++) {
        if (links[p] == null) {
          end("party " + p + " did not join session '" + id + "' within " + settings.pairTimeout().toSeconds() + " s");
          return;
        }
      }
    }

    synchronized void abortAll(String why) {
      end(why);
    }

    /** Ends the session with an error to every connected party. */
    private synchronized void end(String why) {
      if (ended) {
        return;
      }
      ended = true;
      failed.incrementAndGet();
      metrics.sessionFailed(DealerMetrics.reasonOf(why));
      sessions.remove(id, this);
      LOG.warn("dealer: session '{}' failed: {}", id, why);
      for (NettyLink l : links) {
        if (l != null) {
          metrics.traffic("party", l.stats());
          l.abort(why);
        }
      }
    }

    private void run() {
      try {
        if (!Arrays.equals(hellos[0].planHash(), hellos[1].planHash())) {
          metrics.refused(ServiceMetrics.Refusal.PLAN_MISMATCH);
          end("plan mismatch in session '" + id + "': party 0 has plan hash " + hex(hellos[0].planHash())
              + ", party 1 has plan hash " + hex(hellos[1].planHash()));
          return;
        }
        Dealer dealer = new Dealer(settings.seeds().apply(id));
        for (int batch = 0; ; batch++) {
          long[] e0 = receivePlan(0);
          long[] e1 = receivePlan(1);
          if (e0.length == 0 && e1.length == 0) {
            finish(batch);
            return;
          }
          if (e0.length == 0 || e1.length == 0) {
            int quit = e0.length == 0 ? 0 : 1;
            end("party " + quit + " ended session '" + id + "' while party " + (1 - quit) + " submitted batch " + batch);
            return;
          }
          CorrelationPlan plan = decode(e0, 0);
          if (!Arrays.equals(e0, e1)) {
            CorrelationPlan other = decode(e1, 1);
            end("plan mismatch in session '" + id + "' at batch " + batch + ": party 0 sent plan "
                + plan.sha256Hex() + " (" + plan.size() + " requests), party 1 sent plan " + other.sha256Hex()
                + " (" + other.size() + " requests)");
            return;
          }
          if (batch == 0 && !Arrays.equals(plan.sha256(), hellos[0].planHash())) {
            end("the first plan of session '" + id + "' hashes to " + plan.sha256Hex()
                + " but the parties announced " + hex(hellos[0].planHash()));
            return;
          }
          deal(dealer, plan, batch);
        }
      } catch (LinkException | IllegalArgumentException e) {
        end("session '" + id + "' ended: " + e.getMessage());
      } catch (RuntimeException e) {
        end("session '" + id + "' ended by an internal dealer error: " + e);
      }
    }

    private long[] receivePlan(int p) {
      return links[p].receiveLongs(DealerProtocol.TAG_PLAN);
    }

    private CorrelationPlan decode(long[] e, int p) {
      try {
        return CorrelationPlan.decode(e);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("party " + p + " sent a malformed plan (" + ex.getMessage() + ")", ex);
      }
    }

    private void deal(Dealer dealer, CorrelationPlan plan, int batch) {
      long start = System.nanoTime();
      long lastReport = start;
      long bytes = 0;
      int n = plan.size();
      for (int i = 0; i < n; i++) {
        CorrelationRequest r = plan.requests().get(i);
        Dealer.Dealt d = dealer.deal(r);
        long[] m0 = d.toParty0().encode();
        long[] m1 = d.toParty1().encode();
        links[0].send(DealerProtocol.TAG_DEAL, m0);
        links[1].send(DealerProtocol.TAG_DEAL, m1);
        bytes += 8L * (m0.length + m1.length);
        long now = System.nanoTime();
        if (now - lastReport > settings.progressEvery().toNanos()) {
          lastReport = now;
          LOG.info(String.format(Locale.ROOT, "dealer: session '%s' batch %d: %d/%d requests dealt, %.1f MB sent, %.1f s",
              id, batch, i + 1, n, bytes / 1e6, (now - start) / 1e9));
        }
      }
      metrics.dealt(n, bytes);
      LOG.info(String.format(Locale.ROOT, "dealer: session '%s' batch %d: %d requests dealt, %.1f MB sent in %.2f s",
          id, batch, n, bytes / 1e6, (System.nanoTime() - start) / 1e9));
    }

    private synchronized void finish(int batches) {
      ended = true;
      sessions.remove(id, this);
      completed.incrementAndGet();
      metrics.sessionFinished();
      LOG.info("dealer: session '{}' done after {} batches", id, batches);
      for (NettyLink l : links) {
        metrics.traffic("party", l.stats());
        l.close();
      }
    }
  }

}
