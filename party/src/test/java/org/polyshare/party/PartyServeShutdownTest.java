package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.net.DrainReport;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.net.NettyLink;
import org.polyshare.core.ops.ChildJvm;

/**
 * {@code party serve} as a real JVM stopped with SIGTERM: a running session of many inferences
 * finishes within the drain timeout and the process exits 0; a session that outlasts the drain
 * timeout is ended with a clear error to its client and the process exits 3.
 */
class PartyServeShutdownTest {
  private static final Duration T = Duration.ofSeconds(60);

  @RegisterExtension
  static final LoopbackDealer dealer = new LoopbackDealer(Duration.ofSeconds(30));

  private static ChildJvm serve(int drainSeconds) throws Exception {
    return ServeJvm.launch(
        "simple",
        dealer.port(),
        NetFixtures.certs(),
        "tiny-pkn",
        "--timeout",
        "60",
        "--drain-timeout",
        String.valueOf(drainSeconds));
  }

  @Test
  void aRunningSessionFinishesWithinTheDrainAndTheExitCodeIsZero() throws Exception {
    ChildJvm service = serve(60);
    try {
      int port = ServeJvm.port(service, "tiny-pkn");
      CompletableFuture<PartyRunner.Report> client =
          CompletableFuture.supplyAsync(
              () ->
                  dealer
                      .parties("tiny-pkn")
                      .clientModel("tiny-pkn")
                      .session("draining")
                      .inferences(200)
                      .timeout(T)
                      .runClient(port));
      // SIGTERM once the session runs: party 0 has named the dealer session
      Await.until(
          () -> dealer.server().activeSessions() > 0 || client.isDone(), Duration.ofSeconds(60));
      service.sigterm();
      PartyRunner.Report r = client.get(180, TimeUnit.SECONDS);
      assertEquals(200, r.inferences().size(), "every inference of the running session");
      service.assertExits(DrainReport.EXIT_DRAINED, 30);
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
    ChildJvm service = serve(1);
    try {
      int port = ServeJvm.port(service, "tiny-pkn");
      // a client that asks for its session and then does nothing: the session waits for it
      NettyLink stuck =
          dealer.stalledSession(
              port, NetFixtures.fastOptions().withTimeout(Duration.ofSeconds(30)), "stuck");
      long t0 = System.nanoTime();
      service.sigterm();
      LinkException e = assertThrows(LinkException.class, () -> stuck.receiveLongs(1));
      assertTrue(
          e.getMessage().contains("party 0 is shutting down")
              && e.getMessage().contains("did not finish within the drain timeout of 1 s"),
          e.getMessage());
      assertTrue(
          (System.nanoTime() - t0) / 1e9 < 20, "ended by the drain, not by a receive timeout");
      stuck.close();
      service.assertExits(DrainReport.EXIT_SESSIONS_ENDED, 30);
      assertTrue(service.output().contains("1 ended by the drain"), service.output());
    } finally {
      service.process().destroyForcibly();
    }
  }
}
