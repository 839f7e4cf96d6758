package org.polyshare.party;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.SecureModel;

/**
 * Party 0 as a long-lived service: listens for clients (party 1, {@code bin/party run --id 1
 * --peer ...}) and runs one session per client connection, up to {@code concurrent} at once on
 * their own threads. Per connection: hello (party 0 asserts no session id or plan, so it can take
 * any client), then the {@link SessionStart}: the client's request for {@code N} inferences, the
 * architecture sent to it (it holds no model), a check that the plan it compiled is this model's
 * for {@code N} inferences, then a fresh dealer session id — the client's proposed id plus a
 * random suffix, so two clients proposing the same id never meet at the dealer — and a fresh
 * session secret; both join the dealer under them and run the inferences. A client's failure
 * ends its session only (the detail logged, the client told a {@link PeerError} code and fixed
 * sentence while the link is up); the service goes on.
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
  private final Architecture architecture;
  private final Settings settings;
  private final PrintStream log;
  private final LinkServer server;
  private final ExecutorService workers;
  private final Thread acceptor;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicLong accepted = new AtomicLong();
  private volatile boolean closed;

  /** Loads nothing itself: {@code model} carries party 0's weights. Starts listening at once. */
  public PartyService(NetTransport net, TlsIdentity identity, Model model, int port, Settings settings,
      PrintStream log) {
    this(net, identity, model, SecureModel.Options.defaults(), port, settings, log);
  }

  /** With evaluation options other than the defaults (tests: the headroom guard off). */
  PartyService(NetTransport net, TlsIdentity identity, Model model, SecureModel.Options options, int port,
      Settings settings, PrintStream log) {
    if (identity.role() != Role.PARTY0) {
      throw new IllegalArgumentException("the service is party 0; got the certificate of "
          + identity.role().displayName());
    }
    this.net = net;
    this.identity = identity;
    this.model = model;
    this.secure = SecureModel.compile(model, 1, options);
    this.architecture = Architecture.of(model);
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
    this.acceptor = new Thread(this::acceptLoop, "party0-accept");
    this.acceptor.setDaemon(true);
    log.printf("party 0 serving model '%s' on port %d (up to %d sessions at once%s)%n", model.name(), server.port(),
        settings.concurrent(), settings.maxSessions() == 0 ? "" : ", " + settings.maxSessions() + " sessions in all");
    log.printf("party 0: architecture sha256 %s (clients may pin it: --expect-architecture %s)%n",
        architecture.sha256Hex(), architecture.sha256Hex());
    log.flush();
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
          log.println("party 0: refused a connection: " + e.getMessage());
        }
        continue;
      }
      if (active.get() >= settings.concurrent()) {
        log.printf("party 0: turned away %s: %d sessions already running%n", link.peerName(), active.get());
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
    try {
      Hello hello = peer.handshake(Hello.of(Role.PARTY0, "", null));
      String proposed = hello.sessionId().isEmpty() ? "client" : hello.sessionId();
      byte[] suffix = new byte[6];
      RANDOM.nextBytes(suffix);
      String candidate = proposed + "@" + HexFormat.of().formatHex(suffix);
      sessionId = candidate.length() <= 256 ? candidate : candidate.substring(candidate.length() - 256);
      SessionStart.Offered o = SessionStart.offer(peer, architecture, secure, n -> n <= settings.maxInferences(),
          "this service runs 1 to " + settings.maxInferences() + " per session", sessionId);
      try (RemoteCorrelationSource dealer = RemoteCorrelationSource.connect(net, settings.dealerHost(),
          settings.dealerPort(), identity, sessionId, o.dealer().secret(), o.plan(),
          LinkOptions.defaults().withTimeout(settings.timeout()), settings.connectDeadline())) {
        PartyRunner.Report r;
        try {
          r = PartyRunner.runSession(0, model, secure, o.plan(), peer, dealer, null, o.inferences(), settings.net(),
              sessionId, null, t0);
        } catch (RuntimeException e) {
          PeerError.INTERNAL.abort(peer, e); // before the dealer link closes, so the client hears it first
          throw e;
        }
        double online = r.inferences().stream().mapToDouble(PartyRunner.Inference::onlineMs).sum();
        double offline = r.inferences().stream().mapToDouble(PartyRunner.Inference::offlineMs).sum();
        completed.incrementAndGet();
        log.printf(Locale.ROOT, "party 0: session '%s' with %s done: %d inference(s), offline %.1f ms, online %.1f ms,"
            + " %.1f ms in all%n", sessionId, peer.peerName(), o.inferences(), offline, online,
            (System.nanoTime() - t0) / 1e6);
      }
    } catch (RuntimeException e) {
      // The detail (which may name activations, weights or biases) stays in this log; the client
      // gets a code and a fixed sentence only (SessionStart has already told it when it refused).
      failed.incrementAndGet();
      log.printf(Locale.ROOT, "party 0: session '%s' with %s failed after %.1f ms: %s%n", sessionId, peer.peerName(),
          (System.nanoTime() - t0) / 1e6, e.getMessage());
      PeerError.INTERNAL.abort(peer, e);
    } finally {
      peer.close();
    }
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
