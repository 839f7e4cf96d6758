package org.polyshare.party;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.net.DrainReport;
import org.polyshare.core.net.Hello;
import org.polyshare.core.net.LinkAcceptor;
import org.polyshare.core.net.LinkOptions;
import org.polyshare.core.net.LinkServer;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.NettyLink;
import org.polyshare.core.net.RemoteCorrelationSource;
import org.polyshare.core.net.Role;
import org.polyshare.core.net.TlsIdentity;
import org.polyshare.core.ops.LogSetup;
import org.polyshare.core.ops.MeteredAdmission;
import org.polyshare.core.ops.ServiceMetrics;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.OfflineSchedule;
import org.polyshare.models.secure.SecureModel;
import org.polyshare.models.secure.SecureOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Party 0 as a long-lived service: listens for clients (party 1, {@code bin/party run --id 1 --peer
 * ...}) and runs one session per client connection, up to {@code concurrent} at once on their own
 * threads. Per connection: hello (party 0 asserts no session id or plan, so it can take any
 * client), then the {@link SessionStart}: the client's request for {@code N} inferences, the
 * architecture sent to it (it holds no model), a check that the plan it compiled is this model's
 * for {@code N} inferences, then a fresh dealer session id — the client's proposed id plus a random
 * suffix, so two clients proposing the same id never meet at the dealer — and a fresh session
 * secret; both join the dealer under them and run the inferences. A client's failure ends its
 * session only (the detail logged, the client told a {@link PeerError} code and fixed sentence
 * while the link is up); the service goes on. The hello and the request form the pre-session, run
 * by the shared {@link LinkAcceptor} within the handshake timeout before the client takes a slot;
 * {@link #drain} is the graceful shutdown.
 */
public final class PartyService implements AutoCloseable {
  /**
   * Service settings. {@code maxSessions} 0 = serve until closed; {@code maxBatch}: the most inputs
   * a client may send in one inference (each batch size is compiled once, on first request).
   */
  public record Settings(
      String dealerHost,
      int dealerPort,
      Duration timeout,
      Duration connectDeadline,
      int concurrent,
      int maxSessions,
      int maxInferences,
      NetworkProfile net,
      int maxBatch) {
    public Settings {
      if (maxBatch < 1) {
        throw new IllegalArgumentException("--max-batch must be >= 1, got " + maxBatch);
      }
      if (concurrent < 1) {
        throw new IllegalArgumentException("--concurrent must be >= 1, got " + concurrent);
      }
      if (maxSessions < 0) {
        throw new IllegalArgumentException(
            "--max-sessions must be >= 0 (0 = unlimited), got " + maxSessions);
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

  private final NetTransport net;
  private final TlsIdentity identity;
  private final Model model;
  private final SecureOptions options;
  private final Map<Integer, SecureModel> secure = new ConcurrentHashMap<>();
  private final Architecture architecture;
  private final Settings settings;
  private static final Logger LOG = LoggerFactory.getLogger(PartyService.class);

  private final PartyMetrics metrics;
  private final LinkServer server;
  private final ExecutorService workers;
  private final LinkAcceptor acceptor;
  private final Set<Running> running = ConcurrentHashMap.newKeySet();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicLong accepted = new AtomicLong();

  /**
   * Loads nothing itself: {@code model} carries party 0's weights, evaluated with {@code options}
   * (the party path's: {@link PartyRunner#options}). Starts listening at once, counting into {@code
   * metrics}.
   */
  public PartyService(
      NetTransport net,
      TlsIdentity identity,
      Model model,
      SecureOptions options,
      int port,
      Settings settings,
      PartyMetrics metrics) {
    if (identity.role() != Role.PARTY0) {
      throw new IllegalArgumentException(
          "the service is party 0; got the certificate of " + identity.role().displayName());
    }
    this.net = net;
    this.identity = identity;
    this.model = model;
    this.options = options;
    secure.put(1, SecureModel.compile(model, 1, options));
    this.architecture = Architecture.of(model);
    this.settings = settings;
    this.metrics = metrics;
    metrics.trackActive(active::get);
    this.server =
        net.listen(
            port,
            identity,
            Set.of(Role.PARTY1),
            LinkOptions.defaults().withTimeout(settings.timeout()));
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            settings.concurrent(),
            r -> {
              Thread t = new Thread(r, "party0-session-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    LOG.info(
        "party 0 serving model '{}' on port {} (up to {} sessions at once{})",
        model.name(),
        server.port(),
        settings.concurrent(),
        settings.maxSessions() == 0 ? "" : ", " + settings.maxSessions() + " sessions in all");
    LOG.info(
        "party 0: architecture sha256 {} (clients may pin it: --expect-architecture {})",
        architecture.sha256Hex(),
        architecture.sha256Hex());
    this.acceptor =
        new LinkAcceptor(
            server,
            Hello.of(Role.PARTY0, "", null),
            MAX_PENDING,
            "party0",
            new MeteredAdmission(this::admit, metrics, LOG, "party 0"));
  }

  /**
   * Connections at once in their pre-session. A client takes a session slot only once it said hello
   * and asked for its session, within the handshake timeout: slow or idle clients hold none.
   */
  private static final int MAX_PENDING = 64;

  public int port() {
    return server.port();
  }

  /** Sessions running now. */
  public PartyMetrics metrics() {
    return metrics;
  }

  public int activeSessions() {
    return active.get();
  }

  public int completedSessions() {
    return completed.get();
  }

  public int failedSessions() {
    return failed.get();
  }

  /**
   * Waits until {@code maxSessions} sessions have ended (or the service was closed), at most {@code
   * d}.
   */
  public boolean awaitFinished(Duration d) throws InterruptedException {
    if (!acceptor.awaitStopped(d)) {
      return false;
    }
    workers.shutdown();
    return workers.awaitTermination(d.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A client whose pre-session passed: a slot if one is free, else "busy" (admission thread). */
  private void admit(NettyLink link) {
    if (active.get() >= settings.concurrent()) {
      metrics.refused(ServiceMetrics.Refusal.BUSY);
      LOG.warn(
          "party 0: turned away {}: {} sessions already running", link.peerName(), active.get());
      link.abort(
          "party 0 is busy (" + settings.concurrent() + " sessions running); try again later");
      return;
    }
    long seq = accepted.incrementAndGet();
    Running r = new Running(link);
    running.add(r);
    active.incrementAndGet();
    workers.execute(
        () -> {
          try {
            serve(r, seq);
          } finally {
            running.remove(r);
            active.decrementAndGet();
          }
        });
    if (settings.maxSessions() != 0 && seq >= settings.maxSessions()) {
      acceptor.stopAccepting(
          "party 0 has served its last session (--max-sessions " + settings.maxSessions() + ")");
    }
  }

  /** A session's links, so a drain can end it. */
  private static final class Running {
    final NettyLink peer;
    volatile NettyLink dealer;

    Running(NettyLink peer) {
      this.peer = peer;
    }

    void end(String why) {
      peer.abort(why);
      NettyLink d = dealer;
      if (d != null) {
        d.abort(why);
      }
    }
  }

  private void serve(Running running, long seq) {
    NettyLink peer = running.peer;
    long t0 = System.nanoTime();
    String sessionId = "#" + seq;
    metrics.sessionStarted();
    try {
      Hello hello = peer.handshake(Hello.of(Role.PARTY0, "", null));
      String proposed = hello.sessionId().isEmpty() ? "client" : hello.sessionId();
      byte[] suffix = new byte[6];
      RANDOM.nextBytes(suffix);
      String candidate = proposed + "@" + HexFormat.of().formatHex(suffix);
      sessionId =
          candidate.length() <= 256 ? candidate : candidate.substring(candidate.length() - 256);
      MDC.put(LogSetup.SESSION, sessionId);
      SessionStart.Offered o =
          SessionStart.offer(
              peer,
              architecture,
              this::compiled,
              n -> n <= settings.maxInferences(),
              "this service runs 1 to " + settings.maxInferences() + " per session",
              "this service runs batches of 1 to " + settings.maxBatch() + " inputs",
              sessionId);
      try (RemoteCorrelationSource dealer =
          RemoteCorrelationSource.connect(
              net,
              settings.dealerHost(),
              settings.dealerPort(),
              identity,
              sessionId,
              o.dealer().secret(),
              o.plan(),
              LinkOptions.defaults().withTimeout(settings.timeout()),
              settings.connectDeadline())) {
        running.dealer = dealer.link();
        PartyRunner.Report r;
        try {
          r =
              PartyRunner.runSession(
                  0,
                  model,
                  o.secure(),
                  o.plan(),
                  peer,
                  dealer,
                  null,
                  o.inferences(),
                  settings.net(),
                  OfflineSchedule.STREAMED,
                  sessionId,
                  null,
                  t0);
        } catch (RuntimeException e) {
          PeerError.INTERNAL.abort(
              peer, e); // before the dealer link closes, so the client hears it first
          throw e;
        }
        double online = r.inferences().stream().mapToDouble(PartyRunner.Inference::onlineMs).sum();
        double offline =
            r.inferences().stream().mapToDouble(PartyRunner.Inference::offlineMs).sum();
        completed.incrementAndGet();
        metrics.sessionFinished(r, peer.stats(), dealer.stats());
        LOG.info(
            String.format(
                Locale.ROOT,
                "party 0: session '%s' with %s done: %d inference(s) of batch %d, offline %.1f ms,"
                    + " online %.1f ms, %.1f ms in all",
                sessionId,
                peer.peerName(),
                o.inferences(),
                o.secure().batch(),
                offline,
                online,
                (System.nanoTime() - t0) / 1e6));
      }
    } catch (RuntimeException e) {
      // The detail (which may name activations, weights or biases) stays in this log; the client
      // gets a code and a fixed sentence only (SessionStart has already told it when it refused).
      failed.incrementAndGet();
      if (e instanceof SessionStart.PlanMismatchException) {
        metrics.refused(ServiceMetrics.Refusal.PLAN_MISMATCH);
      }
      metrics.sessionFailed(e, peer.stats());
      LOG.warn(
          String.format(
              Locale.ROOT,
              "party 0: session '%s' with %s failed after %.1f ms: %s",
              sessionId,
              peer.peerName(),
              (System.nanoTime() - t0) / 1e6,
              e.getMessage()));
      PeerError.INTERNAL.abort(peer, e);
    } finally {
      MDC.remove(LogSetup.SESSION);
      peer.close();
    }
  }

  /** The secure model for batches of {@code batch} inputs, or null beyond {@code maxBatch}. */
  private SecureModel compiled(int batch) {
    if (batch > settings.maxBatch()) {
      return null;
    }
    return secure.computeIfAbsent(batch, b -> SecureModel.compile(model, b, options));
  }

  /**
   * Graceful shutdown: stops accepting (clients in their pre-session are told so), lets running
   * sessions finish within {@code timeout}, then ends the rest with an error to the client and the
   * dealer.
   */
  public DrainReport drain(Duration timeout) {
    long t0 = System.nanoTime();
    acceptor.stopAccepting("party 0 is shutting down and takes no new sessions");
    int atStart = running.size();
    int ended = 0;
    if (!DrainReport.await(running::isEmpty, timeout)) {
      for (Running r : running) {
        r.end(
            "party 0 is shutting down: the session did not finish within the drain timeout of "
                + timeout.toSeconds()
                + " s");
        ended++;
      }
      DrainReport.await(running::isEmpty, Duration.ofSeconds(5)); // let them log and close
    }
    return new DrainReport(
        Math.max(0, atStart - ended), ended, Duration.ofNanos(System.nanoTime() - t0));
  }

  /** Stops accepting, ends running sessions (their links are closed) and waits briefly for them. */
  @Override
  public void close() {
    acceptor.close();
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
