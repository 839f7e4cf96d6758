package org.polyshare.party;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.link.LinkTimeoutException;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.net.Hello;
import org.polyshare.core.net.LinkOptions;
import org.polyshare.core.net.LinkServer;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.NettyLink;
import org.polyshare.core.net.RemoteCorrelationSource;
import org.polyshare.core.net.Role;
import org.polyshare.core.net.TlsIdentity;
import org.polyshare.core.ops.ServiceMetrics;
import org.polyshare.core.ops.LogSetup;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.SecureModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Party 0 as a long-lived service: listens for clients (party 1, {@code bin/party run --id 1
 * --peer ...}) and runs one session per client connection, up to {@code concurrent} at once on
 * their own threads. Per connection: hello (party 0 asserts no session id or plan, so it can take
 * any client), the client's request for {@code N} inferences, a check that the client's plan hash
 * is the plan of this model for {@code N} inferences, then a fresh dealer session id — the
 * client's proposed id plus a random suffix, so two clients proposing the same id never meet at
 * the dealer — sent to the client; both join the dealer under it and run the inferences. A
 * client's failure ends its session only (logged, and the client told why when the link is still
 * up); the service goes on.
 */
public final class PartyService implements AutoCloseable {
  /** Service settings. {@code maxSessions} 0 = serve until closed. */
  public record Settings(String dealerHost, int dealerPort, Duration timeout, Duration connectDeadline,
      int concurrent, int maxSessions, int maxInferences, NetworkProfile net) {
    public Settings {
      if (concurrent < 1) {
        throw new IllegalArgumentException("--concurrent must be >= 1, got " + concurrent);
      }
      if (maxSessions < 0) {
        throw new IllegalArgumentException("--max-sessions must be >= 0 (0 = unlimited), got " + maxSessions);
      }
      if (maxInferences < 1) {
        throw new IllegalArgumentException("--max-inferences must be >= 1, got " + maxInferences);
      }
      if (net == null) {
        net = NetworkProfile.LOOPBACK;
      }
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger LOG = LoggerFactory.getLogger(PartyService.class);

  private final NetTransport net;
  private final TlsIdentity identity;
  private final Model model;
  private final SecureModel secure;
  private final Settings settings;
  private final PartyMetrics metrics;
  private final LinkServer server;
  private final ExecutorService workers;
  private final Thread acceptor;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicLong accepted = new AtomicLong();
  private volatile boolean closed;

  /**
   * Loads nothing itself: {@code model} carries party 0's weights. Starts listening at once.
   *
   * @deprecated the service logs through SLF4J now and {@code log} is unused; use
   *     {@link #PartyService(NetTransport, TlsIdentity, Model, int, Settings, PartyMetrics)}
   */
  @Deprecated
  public PartyService(NetTransport net, TlsIdentity identity, Model model, int port, Settings settings,
      PrintStream log) {
    this(net, identity, model, port, settings, new PartyMetrics());
  }

  /** As above, counting into {@code metrics}. */
  public PartyService(NetTransport net, TlsIdentity identity, Model model, int port, Settings settings,
      PartyMetrics metrics) {
    if (identity.role() != Role.PARTY0) {
      throw new IllegalArgumentException("the service is party 0; got the certificate of "
          + identity.role().displayName());
    }
    this.net = net;
    this.identity = identity;
    this.model = model;
    this.secure = SecureModel.compile(model, 1);
    this.settings = settings;
    this.metrics = metrics;
    metrics.trackActive(active::get);
    this.server = net.listen(port, identity, Set.of(Role.PARTY1),
        LinkOptions.defaults().withTimeout(settings.timeout()));
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(settings.concurrent(), r -> {
      Thread t = new Thread(r, "party0-session-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.acceptor = new Thread(this::acceptLoop, "party0-accept");
    this.acceptor.setDaemon(true);
    LOG.info("party 0 serving model '{}' on port {} (up to {} sessions at once{})", model.name(), server.port(),
        settings.concurrent(), settings.maxSessions() == 0 ? "" : ", " + settings.maxSessions() + " sessions in all");
    acceptor.start();
  }

  public int port() {
    return server.port();
  }

  /** Sessions running now. */
  public int activeSessions() {
    return active.get();
  }

  public int completedSessions() {
    return completed.get();
  }

  public int failedSessions() {
    return failed.get();
  }

  public PartyMetrics metrics() {
    return metrics;
  }

  /** Waits until {@code maxSessions} sessions have ended (or the service was closed), at most {@code d}. */
  public boolean awaitFinished(Duration d) throws InterruptedException {
    acceptor.join(d.toMillis());
    if (acceptor.isAlive()) {
      return false;
    }
    workers.shutdown();
    return workers.awaitTermination(d.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void acceptLoop() {
    while (!closed && (settings.maxSessions() == 0 || accepted.get() < settings.maxSessions())) {
      NettyLink link;
      try {
        link = server.accept(Duration.ofMillis(500));
      } catch (LinkTimeoutException e) {
        continue;
      } catch (LinkException e) {
        if (!closed) {
          metrics.refused(e);
          LOG.warn("party 0: refused a connection: {}", e.getMessage());
        }
        continue;
      }
      if (active.get() >= settings.concurrent()) {
        metrics.refused(ServiceMetrics.Refusal.BUSY);
        LOG.warn("party 0: turned away {}: {} sessions already running", link.peerName(), active.get());
        link.abort("party 0 is busy (" + settings.concurrent() + " sessions running); try again later");
        continue;
      }
      long seq = accepted.incrementAndGet();
      active.incrementAndGet();
      workers.execute(() -> {
        try {
          serve(link, seq);
        } finally {
          active.decrementAndGet();
        }
      });
    }
  }

  private void serve(NettyLink peer, long seq) {
    long t0 = System.nanoTime();
    String sessionId = "#" + seq;
    metrics.sessionStarted();
    try {
      Hello hello = peer.handshake(Hello.of(Role.PARTY0, "", null));
      long[] req = peer.receiveLongs(PartyRunner.TAG_SESSION_REQUEST);
      if (req.length != 1 || req[0] < 1 || req[0] > settings.maxInferences()) {
        throw refuse(peer, "party 1 asks for " + (req.length == 1 ? req[0] : -1) + " inferences; this service runs 1 to "
            + settings.maxInferences() + " per session");
      }
      int inferences = (int) req[0];
      CorrelationPlan plan = secure.plan(inferences);
      if (hello.planHash().length > 0 && !Arrays.equals(hello.planHash(), plan.sha256())) {
        metrics.refused(ServiceMetrics.Refusal.PLAN_MISMATCH);
        throw refuse(peer, "plan mismatch: party 0 serves model '" + model.name() + "' (plan hash " + plan.sha256Hex()
            + " for " + inferences + " inferences), party 1 has plan hash " + hello.planHashHex()
            + " (a different model or architecture?)");
      }
      String proposed = hello.sessionId().isEmpty() ? "client" : hello.sessionId();
      byte[] suffix = new byte[6];
      RANDOM.nextBytes(suffix);
      String candidate = proposed + "@" + HexFormat.of().formatHex(suffix);
      sessionId = candidate.length() <= 256 ? candidate : candidate.substring(candidate.length() - 256);
      peer.send(PartyRunner.TAG_SESSION_ID, sessionId.getBytes(StandardCharsets.UTF_8));
      MDC.put(LogSetup.SESSION, sessionId);
      try (RemoteCorrelationSource dealer = RemoteCorrelationSource.connect(net, settings.dealerHost(),
          settings.dealerPort(), identity, sessionId, plan,
          LinkOptions.defaults().withTimeout(settings.timeout()), settings.connectDeadline())) {
        PartyRunner.Report r = PartyRunner.runSession(0, model, secure, plan, peer, dealer, null, inferences,
            settings.net(), sessionId, null, t0);
        double online = r.inferences().stream().mapToDouble(PartyRunner.Inference::onlineMs).sum();
        double offline = r.inferences().stream().mapToDouble(PartyRunner.Inference::offlineMs).sum();
        completed.incrementAndGet();
        metrics.sessionFinished(r, peer.stats(), dealer.stats());
        LOG.info(String.format(Locale.ROOT, "party 0: session '%s' with %s done: %d inference(s), offline %.1f ms,"
            + " online %.1f ms, %.1f ms in all", sessionId, peer.peerName(), inferences, offline, online,
            (System.nanoTime() - t0) / 1e6));
      }
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      metrics.sessionFailed(e, peer.stats());
      LOG.warn(String.format(Locale.ROOT, "party 0: session '%s' with %s failed after %.1f ms: %s", sessionId,
          peer.peerName(), (System.nanoTime() - t0) / 1e6, e.getMessage()));
      if (peer.isOpen()) {
        peer.abort("party 0 ended the session: " + e.getMessage());
      }
    } finally {
      MDC.remove(LogSetup.SESSION);
      peer.close();
    }
  }

  private static IllegalStateException refuse(NettyLink peer, String why) {
    peer.abort(why);
    return new IllegalStateException(why);
  }

  /** Stops accepting, ends running sessions (their links are closed) and waits briefly for them. */
  @Override
  public void close() {
    closed = true;
    server.close();
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
