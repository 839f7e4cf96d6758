package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.ops.ChildJvm;
import org.polyshare.dealer.DealerCli;

/**
 * Real party JVMs killed with SIGKILL ({@code destroyForcibly}) in the middle of a session of many
 * inferences: the survivor exits non-zero with a message naming the lost peer, well within its
 * receive timeout; a party 0 service survives a killed client and serves the next.
 */
class ProcessKillTest {
  private static final int TIMEOUT_S = 60;
  private static ChildJvm dealer;
  private static int dealerPort;
  private static Path certs;

  @BeforeAll
  static void startDealer() throws Exception {
    certs = NetFixtures.certs();
    dealer =
        ChildJvm.launch(
            "simple", DealerCli.class, "serve", "--port", "0", "--certs", certs.toString());
    dealerPort = dealer.awaitNumber(Pattern.compile("dealer listening on port (\\d+)"));
  }

  @AfterAll
  static void stopDealer() {
    dealer.process().destroyForcibly();
  }

  private static ChildJvm party(
      int id, String peerOption, String peerValue, String session, int inferences)
      throws Exception {
    return party(dealerPort, id, peerOption, peerValue, session, inferences);
  }

  private static ChildJvm party(
      int dealerAt, int id, String peerOption, String peerValue, String session, int inferences)
      throws Exception {
    return ChildJvm.launch(
        "simple",
        PartyCli.class,
        "run",
        "--id",
        String.valueOf(id),
        peerOption,
        peerValue,
        "--dealer",
        "localhost:" + dealerAt,
        "--certs",
        certs.toString(),
        "--model",
        "tiny-pkn",
        "--session",
        session,
        "--inferences",
        String.valueOf(inferences),
        "--timeout",
        String.valueOf(TIMEOUT_S),
        "--connect-deadline",
        "30");
  }

  @ParameterizedTest(name = "party {0} killed")
  @ValueSource(ints = {0, 1})
  void theSurvivorFailsFastWithAClearError(int victim) throws Exception {
    String session = "kill" + victim;
    ChildJvm p0 = party(0, "--listen", "0", session, 2_000);
    ChildJvm p1 = null;
    try {
      int port = p0.awaitNumber(Pattern.compile("listening for party 1 on port (\\d+)"));
      p1 = party(1, "--peer", "localhost:" + port, session, 2_000);
      ChildJvm killed = victim == 0 ? p0 : p1;
      ChildJvm survivor = victim == 0 ? p1 : p0;
      // well into the session: both parties are in their loop of offline + online phases
      survivor.awaitNumber(Pattern.compile("party " + (1 - victim) + ": inference 5:"));
      long t0 = System.nanoTime();
      killed.process().destroyForcibly();
      assertTrue(
          survivor.process().waitFor(TIMEOUT_S / 2, TimeUnit.SECONDS),
          "the survivor is still running "
              + TIMEOUT_S / 2
              + " s after its peer was killed:\n"
              + survivor.output());
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertNotEquals(0, survivor.process().exitValue(), survivor.output());
      String last = survivor.lines().get(survivor.lines().size() - 1);
      assertTrue(
          last.startsWith("party " + (1 - victim) + ": ")
              && last.contains("party " + victim)
              && (last.contains("lost") || last.contains("closed")),
          survivor.output());
      System.out.printf(
          "party %d killed: party %d exited %d after %.2f s: %s%n",
          victim, 1 - victim, survivor.process().exitValue(), seconds, last);
    } finally {
      ChildJvms.destroyAll(p0, p1);
    }
  }

  @Test
  void aDealerKilledMidSessionEndsBothPartiesFast() throws Exception {
    ChildJvm ownDealer =
        ChildJvm.launch(
            "simple", DealerCli.class, "serve", "--port", "0", "--certs", certs.toString());
    ChildJvm p0 = null;
    ChildJvm p1 = null;
    try {
      int at = ownDealer.awaitNumber(Pattern.compile("dealer listening on port (\\d+)"));
      p0 = party(at, 0, "--listen", "0", "dealer-dies", 2_000);
      int port = p0.awaitNumber(Pattern.compile("listening for party 1 on port (\\d+)"));
      p1 = party(at, 1, "--peer", "localhost:" + port, "dealer-dies", 2_000);
      p1.awaitNumber(Pattern.compile("party 1: inference 5:"));
      ownDealer.process().destroyForcibly();
      for (ChildJvm p : new ChildJvm[] {p0, p1}) {
        assertTrue(
            p.process().waitFor(TIMEOUT_S / 2, TimeUnit.SECONDS),
            "a party hangs without its dealer:\n" + p.output());
        assertNotEquals(0, p.process().exitValue(), p.output());
      }
      // the dealer's loss is the first failure at least at one party; the other may see its peer go
      // first
      String both = p0.output() + "\n" + p1.output();
      assertTrue(Pattern.compile("party \\d: .*dealer.*(lost|closed)").matcher(both).find(), both);
    } finally {
      ChildJvms.destroyAll(ownDealer, p0, p1);
    }
  }

  @Test
  void theServiceOutlivesAKilledClient() throws Exception {
    ChildJvm service =
        ServeJvm.launch(
            "simple",
            dealerPort,
            certs,
            "tiny-pkn",
            "--max-sessions",
            "2",
            "--max-inferences",
            "2000",
            "--timeout",
            String.valueOf(TIMEOUT_S));
    ChildJvm doomed = null;
    ChildJvm next = null;
    try {
      int port = ServeJvm.port(service, "tiny-pkn");
      doomed = party(1, "--peer", "localhost:" + port, "doomed", 2_000);
      doomed.awaitNumber(Pattern.compile("party 1: inference 5:"));
      doomed.process().destroyForcibly();
      service.awaitNumber(Pattern.compile("session 'doomed@\\w+' with .* failed after"));
      next = party(1, "--peer", "localhost:" + port, "next", 3);
      next.assertExits(0, 60);
      service.assertExits(0, 30);
      assertTrue(service.output().contains("served 2 sessions (1 failed)"), service.output());
      assertTrue(
          Pattern.compile("session 'next@\\w+' with .* done: 3 inference")
              .matcher(service.output())
              .find(),
          service.output());
    } finally {
      ChildJvms.destroyAll(service, doomed, next);
    }
  }
}
