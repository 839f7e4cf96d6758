package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.ops.LogCapture;
import org.polyshare.core.prg.Seed;
import org.polyshare.dealer.DealerServer;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;
import org.slf4j.LoggerFactory;

/**
 * Real sessions (dealer, party 0 as a service, party 1 as a client; one JVM, loopback TLS) with
 * every logger at TRACE: no captured line, in text or JSON form, carries a seed the dealer issued,
 * a per-session dealer secret party 0 drew (hex or Base64), a weight, an input, an activation, a
 * logit or a private key of the run.
 */
class LogLeakTest {
  private static final String MODEL = "tiny-pkn";
  private static final Duration T = Duration.ofSeconds(30);

  @Test
  void noLineAtAnyLevelCarriesASecretOfTheRun() throws Exception {
    List<byte[]> seeds = new CopyOnWriteArrayList<>();
    List<byte[]> sessionSecrets = new CopyOnWriteArrayList<>();
    SessionStart.drawnSecrets = sessionSecrets::add;
    Model model = Zoo.load(MODEL);
    int inferences = 2;
    double[][] inputs = Zoo.sampleInputs(model, inferences, 42); // party 1's demo inputs
    PartyRunner.Report report;
    List<String> lines;
    try (LogCapture capture = LogCapture.start(Level.TRACE)) {
      DealerServer.Settings settings =
          DealerServer.Settings.defaults()
              .withPairTimeout(T)
              .withSeeds(
                  session ->
                      () -> {
                        Seed s = Seed.random();
                        seeds.add(s.bytes());
                        return s;
                      });
      try (LoopbackDealer dealer = LoopbackDealer.started(settings);
          PartyService service = dealer.service(model, T, 1, 0, 10)) {
        Parties client = dealer.parties(MODEL).timeout(T);
        report =
            client
                .clientModel(MODEL)
                .session("leak")
                .inferences(inferences)
                .runClient(service.port());
        // and a refused client (another model), so the failure paths log too
        assertThrows(
            RuntimeException.class,
            () -> client.clientModel("tiny-relu").session("other").runClient(service.port()));
        Await.until(() -> service.failedSessions() >= 1, T);
        assertEquals(1, service.failedSessions());
      }
      lines = capture.lines();
    } finally {
      SessionStart.drawnSecrets = x -> {};
    }

    LeakScan secrets = new LeakScan().weights(model);
    seeds.forEach(secrets::seed);
    sessionSecrets.forEach(secrets::sessionSecret);
    for (int k = 0; k < inferences; k++) {
      secrets.values("input " + k, inputs[k], model.fixedPoint());
      secrets.values("logits " + k, report.inferences().get(k).logits(), model.fixedPoint());
      PlainEvaluator.activations(model, inputs[k])
          .forEach((layer, a) -> secrets.values("activation " + layer, a, model.fixedPoint()));
    }
    for (String role : new String[] {"dealer", "party0", "party1"}) {
      secrets.privateKey(NetFixtures.certs().resolve(role + "-key.pem"));
    }

    assertTrue(seeds.size() >= 2, "the dealer issued seeds: " + seeds.size());
    // the served session's (the refused client fails at its plan hash, before a secret is drawn)
    assertEquals(1, sessionSecrets.size(), "party 0 drew one session secret");
    assertTrue(lines.size() > 100, "TRACE captured the run: " + lines.size() + " lines");
    assertTrue(lines.stream().anyMatch(l -> l.contains("TRACE")), "TRACE lines were captured");
    List<String> found = secrets.findings(lines);
    assertTrue(
        found.isEmpty(),
        found.size()
            + " secret values in the log, e.g.\n"
            + String.join("\n", found.subList(0, Math.min(10, found.size()))));
  }

  /** The scan itself: a planted seed, weight and input in debug lines are all found. */
  @Test
  void theScanFindsSecretsPlantedInDebugLines() {
    Model model = Zoo.load(MODEL);
    Seed seed = Seed.random();
    byte[] sessionSecret = SessionStart.newSecret();
    // Base64 "////…" every run: the JSON encoder writes '/' as "\/", which the scan must see
    // through
    java.util.Arrays.fill(sessionSecret, 0, 3, (byte) 0xff);
    double[] input = Zoo.sampleInputs(model, 1, 7)[0];
    double weight = firstWeight(model);
    List<String> lines;
    try (LogCapture capture = LogCapture.start(Level.TRACE)) {
      var log = LoggerFactory.getLogger("planted");
      log.debug("dealt seed {}", java.util.HexFormat.of().formatHex(seed.bytes()));
      log.trace("weight {}", weight);
      log.debug("input value {}", String.format(java.util.Locale.ROOT, "%.4f", input[3]));
      log.debug("joined {}", java.util.HexFormat.of().formatHex(sessionSecret));
      log.trace("secret {}", java.util.Base64.getEncoder().encodeToString(sessionSecret));
      log.info("an ordinary line: port 40123, 16 requests, 0.04 s, 41.0 ms");
      lines = capture.lines();
    }
    LeakScan secrets =
        new LeakScan()
            .weights(model)
            .seed(seed.bytes())
            .sessionSecret(sessionSecret)
            .values("input", input, model.fixedPoint());
    List<String> found = secrets.findings(lines);
    // each planted line is found in its text and its JSON form; the ordinary line is not
    assertTrue(found.stream().anyMatch(f -> f.startsWith("seed ")), String.join("\n", found));
    assertTrue(found.stream().anyMatch(f -> f.startsWith("weight ")), String.join("\n", found));
    for (String form : new String[] {"joined ", "secret "}) {
      assertTrue(
          found.stream().anyMatch(f -> f.startsWith("session secret ") && f.contains(form)),
          form + "\n" + String.join("\n", found));
    }
    assertTrue(found.stream().anyMatch(f -> f.startsWith("input[3]")), String.join("\n", found));
    assertTrue(found.stream().noneMatch(f -> f.contains("ordinary")), String.join("\n", found));
    assertEquals(
        10,
        found.stream()
            .filter(f -> !f.contains("ordinary"))
            .map(f -> f.substring(f.indexOf(": ")))
            .distinct()
            .count(),
        String.join("\n", found));
  }

  private static double firstWeight(Model m) {
    for (var l : m.layers()) {
      if (l instanceof org.polyshare.models.graph.PolyKerv p) {
        return p.conv().weight()[0];
      }
      if (l instanceof org.polyshare.models.graph.Conv2d c) {
        return c.weight()[0];
      }
    }
    throw new AssertionError("no conv layer in " + m.name());
  }
}
