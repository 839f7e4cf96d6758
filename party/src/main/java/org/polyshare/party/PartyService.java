package org.polyshare.party;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.polyshare.core.correlation.CorrelationPlan;
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
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.SecureModel;

/**
 * Party 0 as a long-lived service: listens for clients (party 1, {@code bin/party run --id 1
 * --peer ...}) and runs one session per client connection, up to {@code concurrent} at once on
 * their own threads. Per connection: hello (party 0 asserts no session id or plan, so it can take
 * any client), the client's request for {@code N} inferences, a check that the client's plan hash
 * is the plan of this model for {@code N} inferences, then a fresh dealer session id — the
 * client's proposed id plus a random suffix, so two clients proposing the same id never meet at
 * the dealer — sent to the client; both join the dealer under it and run the inferences. A
 * client's failure ends its session only (logged, and the client told why when the link is still
 * up); the service goes on. The hello and the request form the pre-session, run by the shared
 * {@link LinkAcceptor} within the handshake timeout before the client takes a slot; {@link #drain}
 * is the graceful shutdown.
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

  private final NetTransport net;
  private final TlsIdentity identity;
  private final Model model;
  private final SecureModel secure;
  private final Settings settings;
  private final PrintStream log;
  private final LinkServer server;
  private final ExecutorService workers;
  private final LinkAcceptor acceptor;
  private final Set<Running> running = ConcurrentHashMap.newKeySet();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicLong accepted = new AtomicLong();

  /** Loads nothing itself: {@code model} carries party 0's weights. Starts listening at once. */
  public PartyService(NetTransport net, TlsIdentity identity, Model model, int port, Settings settings,
      PrintStream log) {
    if (identity.role() != Role.PARTY0) {
      throw new IllegalArgumentException("the service is party 0; got the certificate of "
          + identity.role().displayName());
    }
    this.net = net;
    this.identity = identity;
    this.model = model;
    this.secure = SecureModel.compile(model, 1);
    this.settings = settings;
    this.log = log;
    this.server = net.listen(port, identity, Set.of(Role.PARTY1),
        LinkOptions.defaults().withTimeout(settings.timeout()));
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(settings.concurrent(), r -> {
      Thread t = new Thread(r, "party0-session-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    log.printf("party 0 serving model '%s' on port %d (up to %d sessions at once%s)%n", model.name(), server.port(),
        settings.concurrent(), settings.maxSessions() == 0 ? "" : ", " + settings.maxSessions() + " sessions in all");
    log.flush();
    this.acceptor = new LinkAcceptor(server, Hello.of(Role.PARTY0, "", null), MAX_PENDING, "party0",
        new LinkAcceptor.Admission() {
          @Override
          public void admit(NettyLink link) {
            PartyService.this.admit(link);
          }

          @Override
          public void refused(String why) {
            log.println("party 0: refused a connection: " + why);
          }
        });
  }

  /**
   * Connections at once in their pre-session. A client takes a session slot only once it said
   * hello and asked for its session, within the handshake timeout: slow or idle clients hold none.
   */
  private static final int MAX_PENDING = 64;

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

  /** Waits until {@code maxSessions} sessions have ended (or the service was closed), at most {@code d}. */
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
      log.printf("party 0: turned away %s: %d sessions already running%n", link.peerName(), active.get());
      link.abort("party 0 is busy (" + settings.concurrent() + " sessions running); try again later");
      return;
    }
    long seq = accepted.incrementAndGet();
    Running r = new Running(link);
    running.add(r);
    active.incrementAndGet();
    workers.execute(() -> {
      try {
        serve(r, seq);
      } finally {
        running.remove(r);
        active.decrementAndGet();
      }
    });
    if (settings.maxSessions() != 0 && seq >= settings.maxSessions()) {
      acceptor.stopAccepting("party 0 has served its last session (--max-sessions " + settings.maxSessions() + ")");
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
      try (RemoteCorrelationSource dealer = RemoteCorrelationSource.connect(net, settings.dealerHost(),
          settings.dealerPort(), identity, sessionId, plan,
          LinkOptions.defaults().withTimeout(settings.timeout()), settings.connectDeadline())) {
        running.dealer = dealer.link();
        PartyRunner.Report r = PartyRunner.runSession(0, model, secure, plan, peer, dealer, null, inferences,
            settings.net(), sessionId, null, t0);
        double online = r.inferences().stream().mapToDouble(PartyRunner.Inference::onlineMs).sum();
        double offline = r.inferences().stream().mapToDouble(PartyRunner.Inference::offlineMs).sum();
        completed.incrementAndGet();
        log.printf(Locale.ROOT, "party 0: session '%s' with %s done: %d inference(s), offline %.1f ms, online %.1f ms,"
            + " %.1f ms in all%n", sessionId, peer.peerName(), inferences, offline, online,
            (System.nanoTime() - t0) / 1e6);
      }
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      log.printf(Locale.ROOT, "party 0: session '%s' with %s failed after %.1f ms: %s%n", sessionId, peer.peerName(),
          (System.nanoTime() - t0) / 1e6, e.getMessage());
      if (peer.isOpen()) {
        peer.abort("party 0 ended the session: " + e.getMessage());
      }
    } finally {
      peer.close();
    }
  }

  private static IllegalStateException refuse(NettyLink peer, String why) {
    peer.abort(why);
    return new IllegalStateException(why);
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
        r.end("party 0 is shutting down: the session did not finish within the drain timeout of "
            + timeout.toSeconds() + " s");
        ended++;
      }
      DrainReport.await(running::isEmpty, Duration.ofSeconds(5)); // let them log and close
    }
    return new DrainReport(Math.max(0, atStart - ended), ended, Duration.ofNanos(System.nanoTime() - t0));
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
