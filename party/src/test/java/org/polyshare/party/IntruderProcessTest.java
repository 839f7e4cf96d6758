package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.ops.ChildJvm;
import org.polyshare.core.ops.LogCapture;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;

/**
 * Session ids are printed in logs and every client of a service holds the same party-1 certificate,
 * so the id must not be a bearer token. A real third process — its own JVM, holding a valid party-1
 * certificate, the session id read from party 0's log and the public architecture — asks the dealer
 * for the session's slot while the legitimate party 1 is held back: the dealer refuses it (it lacks
 * the per-session secret party 0 handed its peer over the party link), and the legitimate pair then
 * completes.
 */
class IntruderProcessTest {
  private static final String MODEL = "tiny-pkn";
  private static final Duration T = Duration.ofSeconds(180);

  @RegisterExtension static final LoopbackDealer dealer = new LoopbackDealer(T);

  @Test
  void aThirdProcessWithAPartyOneCertificateAndTheLoggedIdCannotTakeTheSlot() throws Exception {
    Model model = Zoo.load(MODEL);
    try (LogCapture log = LogCapture.start(Level.INFO);
        HeldPort toDealer = HeldPort.reserve()) {
      // party 1 reaches the dealer only through the held port: it waits there, retrying
      CompletableFuture<Parties.Outcome> pair =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return dealer.parties(MODEL).clientDealerPort(toDealer.port()).timeout(T).run();
                } catch (Exception e) {
                  throw new CompletionException(e);
                }
              });
      String id = logged(log, Pattern.compile("party 0: joined dealer session '([^']+)'"));
      logged(log, Pattern.compile("dealer: session '" + Pattern.quote(id) + "': party 0 (joined)"));

      ChildJvm intruder =
          ChildJvm.launch(
              Intruder.class,
              String.valueOf(dealer.port()),
              NetFixtures.certs().toString(),
              id,
              MODEL,
              "1");
      try {
        intruder.assertExits(0, 120);
        assertTrue(
            intruder.output().contains("intruder: refused: ")
                && intruder.output().contains("dealer/secret-mismatch: "),
            intruder.output());
      } finally {
        intruder.process().destroyForcibly();
      }

      toDealer.forwardTo(dealer.port());
      Parties.Outcome o = pair.get(T.toSeconds(), TimeUnit.SECONDS);
      assertEquals(id, o.party1().session());
      Demo.assertMatchesPlaintext(model, o.party1(), Demo.inputs(model, 1));
    }
  }

  /** Waits for a log line matching {@code p}; its group 1. */
  private static String logged(LogCapture log, Pattern p) throws InterruptedException {
    String[] found = new String[1];
    Await.until(
        () -> {
          Matcher m = p.matcher(log.text());
          if (m.find()) {
            found[0] = m.group(1);
          }
          return found[0] != null;
        },
        Duration.ofSeconds(120));
    assertTrue(found[0] != null, "never logged " + p + ":\n" + log.text());
    return found[0];
  }
}
