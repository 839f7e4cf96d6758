package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.net.DrainReport;
import org.polyshare.core.net.Hello;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.NettyLink;
import org.polyshare.core.net.Role;
import org.polyshare.dealer.DealerServer;

/**
 * {@code party serve} as a real JVM stopped with SIGTERM: a running session of many inferences
 * finishes within the drain timeout and the process exits 0; a session that outlasts the drain
 * timeout is ended with a clear error to its client and the process exits 3.
 */
class PartyServeShutdownTest {
  private static final Duration T = Duration.ofSeconds(60);
  private static NetTransport net;
  private static DealerServer dealer;

  @BeforeAll
  static void start() {
    net = NetTransport.create(2);
    dealer =
        new DealerServer(
            net,
            NetFixtures.identity(Role.DEALER),
            0,
            DealerServer.Settings.defaults().withPairTimeout(Duration.ofSeconds(30)),
            new PrintStream(new ByteArrayOutputStream()));
  }

  @AfterAll
  static void stop() {
    dealer.close();
    net.close();
  }

  private static Jvm serve(int drainSeconds) throws Exception {
    return Jvm.launch(
        "simple",
        PartyCli.class,
        "serve",
        "--listen",
        "0",
        "--dealer",
        "localhost:" + dealer.port(),
        "--certs",
        NetFixtures.certs().toString(),
        "--model",
        "tiny-pkn",
        "--timeout",
        "60",
        "--drain-timeout",
        String.valueOf(drainSeconds));
  }

  private static void sigterm(Jvm j) {
    j.process()
        .toHandle()
        .destroy(); // SIGTERM (Process.destroy would also close our end of its output)
  }

  @Test
  void aRunningSessionFinishesWithinTheDrainAndTheExitCodeIsZero() throws Exception {
    Jvm service = serve(60);
    try {
      int port = service.awaitNumber(Pattern.compile("serving model 'tiny-pkn' on port (\\d+)"));
      CompletableFuture<PartyRunner.Report> client =
          CompletableFuture.supplyAsync(
              () ->
                  PartyRunner.run(
                      new PartyRunner.Config(
                          1,
                          "localhost",
                          port,
                          null,
                          "localhost",
                          dealer.port(),
                          NetFixtures.certs(),
                          "tiny-pkn",
                          null,
                          "draining",
                          200,
                          T,
                          T),
                      net,
                      new PrintStream(new ByteArrayOutputStream()),
                      p -> {}));
      // SIGTERM once the session runs: party 0 has named the dealer session
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (dealer.activeSessions() == 0 && System.nanoTime() < end && !client.isDone()) {
        Thread.sleep(10);
      }
      sigterm(service);
      PartyRunner.Report r = client.get(180, TimeUnit.SECONDS);
      assertEquals(200, r.inferences().size(), "every inference of the running session");
      assertTrue(service.process().waitFor(30, TimeUnit.SECONDS), service.output());
      assertEquals(DrainReport.EXIT_DRAINED, service.process().exitValue(), service.output());
      assertTrue(service.output().contains("party 0: shutting down"), service.output());
      assertTrue(
          service.output().contains("1 session(s) finished, 0 ended by the drain"),
          service.output());
    } finally {
      service.process().destroyForcibly();
    }
  }

  @Test
  void aSessionOutlastingTheDrainIsEndedClearlyAndTheExitCodeIsThree() throws Exception {
    Jvm service = serve(1);
    try {
      int port = service.awaitNumber(Pattern.compile("serving model 'tiny-pkn' on port (\\d+)"));
      // a client that asks for its session and then does nothing: the session waits for it
      NettyLink stuck =
          net.connect(
              "localhost",
              port,
              NetFixtures.identity(Role.PARTY1),
              Role.PARTY0,
              NetFixtures.fastOptions().withTimeout(Duration.ofSeconds(30)),
              Duration.ofSeconds(10));
      stuck.handshake(Hello.of(Role.PARTY1, "stuck", null));
      stuck.send(SessionStart.TAG_SESSION_REQUEST, new long[] {1});
      stuck.receiveBytes(SessionStart.TAG_ARCHITECTURE);
      long t0 = System.nanoTime();
      sigterm(service);
      LinkException e = assertThrows(LinkException.class, () -> stuck.receiveLongs(1));
      assertTrue(
          e.getMessage().contains("party 0 is shutting down")
              && e.getMessage().contains("did not finish within the drain timeout of 1 s"),
          e.getMessage());
      assertTrue(
          (System.nanoTime() - t0) / 1e9 < 20, "ended by the drain, not by a receive timeout");
      stuck.close();
      assertTrue(service.process().waitFor(30, TimeUnit.SECONDS), service.output());
      assertEquals(
          DrainReport.EXIT_SESSIONS_ENDED, service.process().exitValue(), service.output());
      assertTrue(service.output().contains("1 ended by the drain"), service.output());
    } finally {
      service.process().destroyForcibly();
    }
  }
}
