package org.polyshare.dealer;

import com.google.common.io.BaseEncoding;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.io.PrintStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.polyshare.core.net.DrainReport;
import org.polyshare.core.net.FrameException;
import org.polyshare.core.net.Hello;
import org.polyshare.core.net.LinkAcceptor;
import org.polyshare.core.net.LinkOptions;
import org.polyshare.core.net.LinkServer;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.NettyLink;
import org.polyshare.core.net.Role;
import org.polyshare.core.net.TlsIdentity;
import org.polyshare.core.ops.MeteredAdmission;
import org.polyshare.core.ops.ServiceMetrics;
import org.polyshare.core.ops.SessionMdc;
import org.polyshare.core.prg.Seed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dealer service: accepts party links (mutual TLS, party certificates only), pairs them by
 * session id and session secret (see {@link Session}), checks that both parties submitted the same
 * plan, and deals every request with a per-session {@link Dealer} — fresh seeds to both, the
 * correction to one — streaming the messages as they are computed ({@link DealerProtocol}). Many
 * sessions run at once, one thread each. Failures end only the session concerned; the parties get a
 * {@link DealerRefusal} (code and fixed sentence), the log the detail. The log never prints a
 * session secret.
 */
public final class DealerServer implements AutoCloseable {
  /**
   * Settings of the service. {@code seeds} gives each session its seed source (SecureRandom in
   * production).
   */
  public record Settings(
      LinkOptions link,
      Duration pairTimeout,
      Duration progressEvery,
      Function<String, Supplier<Seed>> seeds) {
    public static Settings defaults() {
      return new Settings(
          LinkOptions.defaults().withTimeout(Duration.ofMinutes(10)),
          Duration.ofSeconds(60),
          Duration.ofSeconds(2),
          session -> Seed::random);
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

  private final Settings settings;
  private static final Logger LOG = LoggerFactory.getLogger(DealerServer.class);

  private final DealerMetrics metrics;
  private final LinkServer server;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final ExecutorService workers =
      Executors.newCachedThreadPool(
          new ThreadFactoryBuilder().setNameFormat("dealer-session").setDaemon(true).build());
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          new ThreadFactoryBuilder().setNameFormat("dealer-timer").setDaemon(true).build());
  private final LinkAcceptor acceptor;
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();

  /**
   * Starts listening on {@code port} (0 = ephemeral) and serving.
   *
   * @deprecated the dealer logs through SLF4J now and {@code log} is unused; use {@link
   *     #DealerServer(NetTransport, TlsIdentity, int, Settings, DealerMetrics)}
   */
  @Deprecated
  public DealerServer(
      NetTransport net, TlsIdentity identity, int port, Settings settings, PrintStream log) {
    this(net, identity, port, settings, new DealerMetrics());
  }

  /**
   * Starts listening on {@code port} (0 = ephemeral) and serving, counting into {@code metrics}.
   */
  public DealerServer(
      NetTransport net, TlsIdentity identity, int port, Settings settings, DealerMetrics metrics) {
    if (identity.role() != Role.DEALER) {
      throw new IllegalArgumentException(
          "the dealer needs the dealer's certificate, got " + identity.role().displayName() + "'s");
    }
    this.settings = settings;
    this.metrics = metrics;
    metrics.trackActive(sessions::size);
    this.server = net.listen(port, identity, Set.of(Role.PARTY0, Role.PARTY1), settings.link());
    this.acceptor =
        new LinkAcceptor(
            server,
            Hello.of(Role.DEALER, "", null),
            MAX_PENDING,
            "dealer",
            new MeteredAdmission(
                link -> workers.submit(() -> admit(link)), metrics, LOG, "dealer"));
  }

  /**
   * Connections at once in their pre-session (hello and first plan, bounded by the handshake
   * timeout).
   */
  private static final int MAX_PENDING = 64;

  public DealerMetrics metrics() {
    return metrics;
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

  private void admit(NettyLink link) {
    Hello hello;
    byte[] secret;
    try {
      hello = link.handshake(Hello.of(Role.DEALER, "", null));
      if (hello.sessionId().isEmpty() || hello.planHash().length == 0) {
        refuse(link, DealerRefusal.BAD_HELLO, "hello without session id or plan hash");
        return;
      }
      secret = link.receiveBytes(DealerProtocol.TAG_SECRET);
    } catch (LinkException e) {
      metrics.refused(ServiceMetrics.Refusal.HANDSHAKE);
      LOG.warn("dealer: handshake with {} failed: {}", link.peerName(), e.getMessage());
      link.close();
      return;
    }
    if (secret.length < DealerProtocol.MIN_SECRET_BYTES
        || secret.length > DealerProtocol.MAX_SECRET_BYTES) {
      refuse(link, DealerRefusal.BAD_SECRET, "session secret of " + secret.length + " bytes");
      return;
    }
    Session s = sessions.computeIfAbsent(hello.sessionId(), Session::new);
    SessionMdc.run(hello.sessionId(), () -> s.join(link, hello, secret));
  }

  private void refuse(NettyLink link, DealerRefusal r, String detail) {
    LOG.warn("dealer: refused {} ({}): {}", link.peerName(), r.wire(), detail);
    link.abort(r.wire());
  }

  /**
   * Graceful shutdown: stops accepting, ends the sessions still waiting for their second party (it
   * can no longer connect), lets the running ones finish within {@code timeout} and then ends the
   * rest with an error to both parties.
   */
  public DrainReport drain(Duration timeout) {
    long t0 = System.nanoTime();
    acceptor.stopAccepting("the dealer is shutting down and accepts no new sessions");
    int ended = 0;
    for (Session s : sessions.values()) {
      if (s.endIfUnpaired("the dealer is shutting down; session '" + s.id + "' had not paired")) {
        ended++;
      }
    }
    int running = sessions.size();
    int late = 0;
    if (!DrainReport.await(sessions::isEmpty, timeout)) {
      for (Session s : sessions.values()) {
        if (s.endRunning(
            "the dealer is shutting down: session '"
                + s.id
                + "' did not finish within the drain"
                + " timeout of "
                + timeout.toSeconds()
                + " s")) {
          late++;
        }
      }
    }
    return new DrainReport(
        Math.max(0, running - late), ended + late, Duration.ofNanos(System.nanoTime() - t0));
  }

  @Override
  public void close() {
    acceptor.close();
    for (Session s : sessions.values()) {
      s.abortAll(DealerRefusal.SHUTTING_DOWN, "the dealer is shutting down");
    }
    workers.shutdownNow();
    timers.shutdownNow();
  }

  private static String hex(byte[] b) {
    return BaseEncoding.base16().lowerCase().encode(b);
  }

  /**
   * One party pair's session. Party 0 registers the session secret; a party-1 connection is paired
   * only if it presents the same secret (compared in constant time), so an id read from a log is
   * not enough to take a slot. Party-1 connections arriving before party 0 wait as candidates (a
   * few at most); when party 0 joins, the holder of its secret is paired and the others refused.
   */
  private final class Session {
    private static final int MAX_CANDIDATES = 4;

    private final String id;
    private final NettyLink[] links = new NettyLink[2];
    private final Hello[] hellos = new Hello[2];
    private final List<Candidate> candidates = new ArrayList<>();
    private byte[] secret;
    private boolean timerSet;
    private boolean started;
    private boolean ended;

    Session(String id) {
      this.id = id;
      metrics.sessionStarted();
    }

    synchronized void join(NettyLink link, Hello hello, byte[] presented) {
      int p = link.peerRole().partyIndex();
      if (!started && links[p] != null && !links[p].isOpen()) {
        // the earlier connection of this party died while waiting for its peer: take the new one
        LOG.info("dealer: session '{}': party {} reconnected", id, p);
        links[p] = null;
        if (p == 0) {
          secret = null;
        }
      }
      if (ended || started || links[p] != null) {
        refuse(
            link,
            DealerRefusal.SLOT_TAKEN,
            "session '" + id + "' already has party " + p + " connected");
        return;
      }
      if (p == 0) {
        links[0] = link;
        hellos[0] = hello;
        secret = presented;
        LOG.info("dealer: session '{}': party 0 joined from {}", id, link.peerName());
        link.onClose(() -> leftWhileWaiting(link));
        for (Candidate c : candidates) {
          if (links[1] == null && c.link.isOpen() && MessageDigest.isEqual(secret, c.secret)) {
            seat1(c.link, c.hello);
          } else {
            refuse(
                c.link,
                links[1] == null ? DealerRefusal.SECRET_MISMATCH : DealerRefusal.SLOT_TAKEN,
                "a party-1 connection waiting for session '" + id + "' does not hold its secret");
          }
        }
        candidates.clear();
      } else if (secret == null) {
        if (candidates.size() >= MAX_CANDIDATES) {
          refuse(
              link,
              DealerRefusal.TOO_MANY_WAITING,
              candidates.size()
                  + " party-1 connections already wait for"
                  + " session '"
                  + id
                  + "'");
          return;
        }
        candidates.add(new Candidate(link, hello, presented));
        LOG.info(
            "dealer: session '{}': a party-1 connection from {} waits for party 0",
            id,
            link.peerName());
        link.onClose(() -> leftWhileWaiting(link));
      } else if (!MessageDigest.isEqual(secret, presented)) {
        refuse(
            link,
            DealerRefusal.SECRET_MISMATCH,
            "party-1 connection for session '"
                + id
                + "' presented another secret than party 0 registered");
        return;
      } else {
        seat1(link, hello);
      }
      if (links[0] != null && links[1] != null) {
        started = true;
        workers.submit(() -> SessionMdc.run(id, this::run));
      } else if (!timerSet) {
        timerSet = true;
        timers.schedule(
            this::pairTimeout, settings.pairTimeout().toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    private void seat1(NettyLink link, Hello hello) {
      links[1] = link;
      hellos[1] = hello;
      LOG.info("dealer: session '{}': party 1 joined from {}", id, link.peerName());
    }

    /**
     * A waiting connection that closes leaves; a session nobody waits in any more is dropped, so it
     * may restart.
     */
    private synchronized void leftWhileWaiting(NettyLink link) {
      if (started || ended) {
        return;
      }
      candidates.removeIf(c -> c.link == link);
      for (int p = 0; p < 2; p++) {
        if (links[p] == link) {
          links[p] = null;
          if (p == 0) {
            secret = null;
          }
          LOG.info("dealer: session '{}': party {} left while waiting for its peer", id, p);
        }
      }
      if (links[0] == null && links[1] == null && candidates.isEmpty()) {
        // the party's next connection starts a fresh session instead of meeting a timer set for
        // this one
        ended = true;
        sessions.remove(id, this);
        metrics.sessionFailed("left_waiting");
      }
    }

    private synchronized void pairTimeout() {
      if (started || ended) {
        return;
      }
      for (int p = 0; p < 2; p++) {
        if (links[p] == null) {
          end(
              DealerRefusal.PEER_MISSING,
              "party "
                  + p
                  + " did not join session '"
                  + id
                  + "' within "
                  + settings.pairTimeout().toSeconds()
                  + " s");
          return;
        }
      }
    }

    synchronized void abortAll(DealerRefusal r, String why) {
      end(r, why);
    }

    /** Ends the session if it still waits for a party; true if it did. */
    synchronized boolean endIfUnpaired(String why) {
      if (started || ended) {
        return false;
      }
      end(DealerRefusal.SHUTTING_DOWN, why);
      return true;
    }

    /** Ends the session if it is still running; true if it did. */
    synchronized boolean endRunning(String why) {
      if (ended) {
        return false;
      }
      end(DealerRefusal.SHUTTING_DOWN, why);
      return true;
    }

    /**
     * Ends the session: the detail to the log, the code and its fixed sentence to every connected
     * party.
     */
    private synchronized void end(DealerRefusal r, String detail) {
      if (ended) {
        return;
      }
      ended = true;
      failed.incrementAndGet();
      sessions.remove(id, this);
      metrics.sessionFailed(r.name().toLowerCase(Locale.ROOT));
      LOG.warn("dealer: session '{}' failed ({}): {}", id, r.wire(), detail);
      for (NettyLink l : links) {
        if (l != null) {
          metrics.traffic("party", l.stats());
          l.abort(r.wire());
        }
      }
      for (Candidate c : candidates) {
        c.link.abort(r.wire());
      }
      candidates.clear();
    }

    private void run() {
      try {
        if (!Arrays.equals(hellos[0].planHash(), hellos[1].planHash())) {
          metrics.refused(ServiceMetrics.Refusal.PLAN_MISMATCH);
          end(
              DealerRefusal.PLAN_MISMATCH,
              "plan mismatch in session '"
                  + id
                  + "': party 0 has plan hash "
                  + hex(hellos[0].planHash())
                  + ", party 1 has plan hash "
                  + hex(hellos[1].planHash()));
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
            end(
                DealerRefusal.PEER_QUIT,
                "party "
                    + quit
                    + " ended session '"
                    + id
                    + "' while party "
                    + (1 - quit)
                    + " submitted batch "
                    + batch);
            return;
          }
          CorrelationPlan plan = decode(e0, 0);
          if (!Arrays.equals(e0, e1)) {
            CorrelationPlan other = decode(e1, 1);
            end(
                DealerRefusal.PLAN_MISMATCH,
                "plan mismatch in session '"
                    + id
                    + "' at batch "
                    + batch
                    + ": party 0 sent plan "
                    + plan.sha256Hex()
                    + " ("
                    + plan.size()
                    + " requests), party 1 sent plan "
                    + other.sha256Hex()
                    + " ("
                    + other.size()
                    + " requests)");
            return;
          }
          if (batch == 0 && !Arrays.equals(plan.sha256(), hellos[0].planHash())) {
            end(
                DealerRefusal.PLAN_MISMATCH,
                "the first plan of session '"
                    + id
                    + "' hashes to "
                    + plan.sha256Hex()
                    + " but the parties announced "
                    + hex(hellos[0].planHash()));
            return;
          }
          deal(dealer, plan, batch);
        }
      } catch (LinkException e) {
        end(linkFailure(e), "session '" + id + "' ended: " + e.getMessage());
      } catch (IllegalArgumentException e) {
        end(DealerRefusal.MALFORMED, "session '" + id + "' ended: " + e.getMessage());
      } catch (RuntimeException e) {
        end(DealerRefusal.INTERNAL, "session '" + id + "' ended by an internal dealer error: " + e);
      }
    }

    /**
     * The refusal naming what broke: a bad or oversized frame, a timeout, or which party's link.
     */
    private DealerRefusal linkFailure(LinkException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof FrameException) {
          return DealerRefusal.BAD_FRAME;
        }
      }
      if (e instanceof LinkTimeoutException) {
        return DealerRefusal.LINK_TIMEOUT;
      }
      if (!links[0].isOpen()) {
        return DealerRefusal.PARTY0_LINK_FAILED;
      }
      return links[1].isOpen() ? DealerRefusal.LINK_FAILED : DealerRefusal.PARTY1_LINK_FAILED;
    }

    private long[] receivePlan(int p) {
      return links[p].receiveLongs(DealerProtocol.TAG_PLAN);
    }

    private CorrelationPlan decode(long[] e, int p) {
      try {
        return CorrelationPlan.decode(e);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(
            "party " + p + " sent a malformed plan (" + ex.getMessage() + ")", ex);
      }
    }

    private void deal(Dealer dealer, CorrelationPlan plan, int batch) {
      long start = System.nanoTime();
      long lastReport = start;
      long bytes = 0;
      int n = plan.size();
      // pieces within this end's frame limit (the parties' must be at least as large)
      int piece = Math.min(DealerProtocol.DEAL_PIECE_LONGS, settings.link().maxPayload() / 8);
      for (int i = 0; i < n; i++) {
        CorrelationRequest r = plan.requests().get(i);
        Dealer.Dealt d = dealer.deal(r);
        long[] m0 = d.toParty0().encode();
        long[] m1 = d.toParty1().encode();
        DealerProtocol.sendDeal(links[0], m0, piece);
        DealerProtocol.sendDeal(links[1], m1, piece);
        bytes += 8L * (m0.length + m1.length);
        long now = System.nanoTime();
        if (now - lastReport > settings.progressEvery().toNanos()) {
          lastReport = now;
          LOG.info(
              String.format(
                  Locale.ROOT,
                  "dealer: session '%s' batch %d: %d/%d requests dealt, %.1f MB sent, %.1f s",
                  id,
                  batch,
                  i + 1,
                  n,
                  bytes / 1e6,
                  (now - start) / 1e9));
        }
      }
      metrics.dealt(n, bytes);
      LOG.info(
          String.format(
              Locale.ROOT,
              "dealer: session '%s' batch %d: %d requests dealt, %.1f MB sent in %.2f s",
              id,
              batch,
              n,
              bytes / 1e6,
              (System.nanoTime() - start) / 1e9));
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

  private record Candidate(NettyLink link, Hello hello, byte[] secret) {}
}
