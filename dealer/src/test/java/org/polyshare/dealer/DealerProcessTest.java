package org.polyshare.dealer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.core.correlation.BeaverTriples;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.link.LinkClosedException;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.net.DrainReport;
import org.polyshare.core.net.LinkOptions;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.RemoteCorrelationSource;
import org.polyshare.core.net.Role;
import org.polyshare.core.net.TlsIdentity;
import org.polyshare.core.ops.ChildJvm;

/**
 * The dealer CLI as a real separate JVM ({@code java -cp <test classpath> DealerCli}): certificates
 * made by {@code dealer certs}, {@code dealer serve} on an ephemeral port, two in-test parties over
 * loopback TLS; then the dealer is killed between two batches of a session.
 */
class DealerProcessTest {
  private static final NetTransport net = NetFixtures.transport();
  private static final LinkOptions OPT = NetFixtures.fastOptions();

  /** A started JVM and the lines it printed (collected on a daemon thread). */
  private static ChildJvm launch(String... args) throws IOException {
    return ChildJvm.launch(DealerCli.class, args);
  }

  private static int awaitPort(ChildJvm dealer) throws InterruptedException {
    return dealer.awaitNumber(Pattern.compile("dealer listening on port (\\d+)"));
  }

  /** {@code dealer serve} on an ephemeral port with the bundles' dealer certificate. */
  private static ChildJvm serveWithDrain(Path certs, int drainSeconds) throws IOException {
    return launch(
        "serve",
        "--port",
        "0",
        "--certs",
        certs.resolve("dealer").toString(),
        "--drain-timeout",
        String.valueOf(drainSeconds));
  }

  private static Path bundles;

  /**
   * One set of per-role certificate bundles (as {@code dealer certs} writes them) for the drain
   * tests.
   */
  private static synchronized Path bundles() throws Exception {
    if (bundles == null) {
      bundles = Files.createTempDirectory("polyshare-bundles");
      CertBundles.write(bundles, List.of("localhost", "127.0.0.1"));
    }
    return bundles;
  }

  /** Party {@code role} joins {@code session} at the dealer on {@code port} with its bundle. */
  private static RemoteCorrelationSource connect(
      int port, Path certs, Role role, String session, CorrelationPlan plan, Duration deadline) {
    return RemoteCorrelationSource.connect(
        net,
        "localhost",
        port,
        TlsIdentity.load(certs.resolve(role.id()), role),
        session,
        DealerServerTest.secretOf(session),
        plan,
        OPT,
        deadline);
  }

  private static RemoteCorrelationSource[] join(
      int port, Path certs, String session, CorrelationPlan plan) throws Exception {
    Duration deadline = Duration.ofSeconds(5);
    CompletableFuture<RemoteCorrelationSource> s0 =
        CompletableFuture.supplyAsync(
            () -> connect(port, certs, Role.PARTY0, session, plan, deadline));
    RemoteCorrelationSource s1 = connect(port, certs, Role.PARTY1, session, plan, deadline);
    return new RemoteCorrelationSource[] {s0.get(10, TimeUnit.SECONDS), s1};
  }

  @Test
  void dealerProcessServesSessionsAndItsDeathIsReportedFast(@TempDir Path dir) throws Exception {
    Path certs = dir.resolve("certs");
    ChildJvm mk = launch("certs", "--out", certs.toString(), "--hosts", "localhost,127.0.0.1");
    mk.assertExits(0, 30);
    // one bundle per role (the CA certificate and that role's pair, nothing else), the CA key apart
    for (Role r : Role.values()) {
      try (var files = Files.list(certs.resolve(r.id()))) {
        assertEquals(
            List.of("ca.pem", r.id() + "-key.pem", r.id() + ".pem"),
            files.map(f -> f.getFileName().toString()).sorted().toList(),
            r.id());
      }
    }
    try (var files = Files.list(certs.resolve("ca"))) {
      assertEquals(
          List.of("ca-key.pem", "ca.pem"),
          files.map(f -> f.getFileName().toString()).sorted().toList());
    }
    assertTrue(
        Files.readString(certs.resolve("party0/party0-key.pem")).contains("BEGIN PRIVATE KEY"),
        "PKCS#8 PEM");

    // the whole output given to one process is refused, naming the bundle to give it
    ChildJvm whole = launch("serve", "--port", "0", "--certs", certs.toString());
    assertTrue(whole.process().waitFor(30, TimeUnit.SECONDS));
    Thread.sleep(200); // the reader thread drains the last lines
    assertEquals(2, whole.process().exitValue(), whole.output());
    assertTrue(whole.output().contains("--certs " + certs.resolve("dealer")), whole.output());

    ChildJvm dealer =
        launch(
            "serve",
            "--port",
            "0",
            "--certs",
            certs.resolve("dealer").toString(),
            "--pair-timeout",
            "5");
    try {
      int port = awaitPort(dealer);

      // a healthy session: triples from the dealer process are correct Beaver triples
      CorrelationPlan plan =
          CorrelationPlan.of(
              new CorrelationRequest.Triples(4096), new CorrelationRequest.Triples(17));
      RemoteCorrelationSource[] s = join(port, certs, "process-ok", plan);
      for (CorrelationRequest r : plan.requests()) {
        int n = ((CorrelationRequest.Triples) r).map().outputNumel();
        BeaverTriples t0 = s[0].triples(n);
        BeaverTriples t1 = s[1].triples(n);
        for (int i = 0; i < n; i++) {
          long a = t0.a()[i] + t1.a()[i];
          long b = t0.b()[i] + t1.b()[i];
          assertEquals(a * b, t0.c()[i] + t1.c()[i]);
        }
      }
      s[0].close();
      s[1].close();

      // the dealer dies between two batches of a session: the next batch fails at once, clearly
      RemoteCorrelationSource[] k =
          join(
              port, certs, "process-killed", CorrelationPlan.of(new CorrelationRequest.Squares(8)));
      k[0].squares(8);
      k[1].squares(8);
      dealer.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      long t0 = System.nanoTime();
      LinkClosedException e = assertThrows(LinkClosedException.class, () -> k[0].triples(3));
      assertTrue(
          (System.nanoTime() - t0) / 1e6 < OPT.timeout().toMillis(),
          "must not wait out the receive timeout");
      assertTrue(e.getMessage().contains("dealer"), e.getMessage());
      k[0].close();
      k[1].close();
    } finally {
      dealer.process().destroyForcibly();
    }
    String out = dealer.output();
    assertTrue(out.contains("session 'process-ok' done"), out);
    assertFalse(out.contains("LEAK"), out);
  }

  @Test
  void sigtermLetsARunningSessionFinishThenExitsZero() throws Exception {
    try (Draining d = Draining.start(30, "draining")) {
      ChildJvm dealer = d.dealer();
      RemoteCorrelationSource[] s = d.parties();
      dealer.sigterm();
      awaitLine(dealer, "shutting down");
      // no new sessions...
      assertThrows(
          RuntimeException.class,
          () ->
              connect(
                  d.port(),
                  d.certs(),
                  Role.PARTY0,
                  "late",
                  CorrelationPlan.of(new CorrelationRequest.Squares(1)),
                  Duration.ofSeconds(2)));
      // ...but the running one gets its next batch and ends normally
      CompletableFuture<BeaverTriples> t0 = CompletableFuture.supplyAsync(() -> s[0].triples(5));
      BeaverTriples t1 = s[1].triples(5);
      BeaverTriples a = t0.get(10, TimeUnit.SECONDS);
      for (int i = 0; i < 5; i++) {
        assertEquals((a.a()[i] + t1.a()[i]) * (a.b()[i] + t1.b()[i]), a.c()[i] + t1.c()[i]);
      }
      s[0].close();
      s[1].close();
      dealer.assertExits(DrainReport.EXIT_DRAINED, 20);
      assertTrue(dealer.output().contains("session 'draining' done"), dealer.output());
      assertTrue(dealer.output().contains("1 session(s) finished, 0 ended"), dealer.output());
    }
  }

  @Test
  void sigtermEndsASessionThatOutlastsTheDrainTimeoutWithAClearError() throws Exception {
    try (Draining d = Draining.start(1, "slow")) {
      ChildJvm dealer = d.dealer();
      RemoteCorrelationSource[] s = d.parties();
      long t0 = System.nanoTime();
      dealer.sigterm(); // the parties take longer than the drain allows
      // a party waiting for its next batch is told why the session ended, without waiting out its
      // timeout
      LinkException e = assertThrows(LinkException.class, () -> s[0].triples(3));
      // the party hears the code and its fixed sentence; the detail stays in the dealer's log
      assertTrue(e.getMessage().contains(DealerRefusal.SHUTTING_DOWN.wire()), e.getMessage());
      assertFalse(
          e.getMessage().contains("slow"),
          "the session id stays in the dealer's log: " + e.getMessage());
      assertTrue(
          (System.nanoTime() - t0) / 1e9 < 10, "ended by the drain, not by a receive timeout");
      dealer.assertExits(DrainReport.EXIT_SESSIONS_ENDED, 20);
      assertTrue(dealer.output().contains("0 session(s) finished, 1 ended"), dealer.output());
      assertTrue(
          dealer.output().contains("did not finish within the drain timeout of 1 s"),
          dealer.output());
      s[0].close();
      s[1].close();
    }
  }

  /**
   * A {@code dealer serve --drain-timeout} JVM with both parties of one session joined and its
   * first batch (8 square pairs) taken; closing it kills the JVM.
   */
  private record Draining(ChildJvm dealer, Path certs, int port, RemoteCorrelationSource[] parties)
      implements AutoCloseable {
    static Draining start(int drainSeconds, String session) throws Exception {
      Path certs = bundles();
      ChildJvm dealer = serveWithDrain(certs, drainSeconds);
      try {
        int port = awaitPort(dealer);
        RemoteCorrelationSource[] s =
            join(port, certs, session, CorrelationPlan.of(new CorrelationRequest.Squares(8)));
        s[0].squares(8);
        s[1].squares(8);
        return new Draining(dealer, certs, port, s);
      } catch (Exception | Error e) {
        dealer.process().destroyForcibly();
        throw e;
      }
    }

    @Override
    public void close() {
      dealer.process().destroyForcibly();
    }
  }

  private static void awaitLine(ChildJvm j, String fragment) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < end) {
      if (j.output().contains(fragment)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no line with '" + fragment + "':\n" + j.output());
  }

  @Test
  void serveWithoutCertificatesExplainsWhatToDo(@TempDir Path dir) throws Exception {
    ChildJvm j = launch("serve", "--port", "0", "--certs", dir.resolve("none").toString());
    assertTrue(j.process().waitFor(30, TimeUnit.SECONDS));
    j.process().getInputStream().close();
    Thread.sleep(100);
    assertEquals(2, j.process().exitValue());
    assertNotNull(j.output());
    assertTrue(j.output().contains("dealer certs --out"), j.output());
  }
}
