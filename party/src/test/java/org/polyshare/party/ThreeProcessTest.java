package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.core.ops.ChildJvm;
import org.polyshare.dealer.DealerCli;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;

/**
 * Dealer, party 0 and party 1 as three separate JVMs talking over loopback TLS, driven by their
 * CLIs.
 */
class ThreeProcessTest {

  private static ChildJvm launch(Class<?> main, String... args) throws IOException {
    return ChildJvm.launch(main, args);
  }

  @Test
  void dealerAndTwoPartyProcessesRunASecureInference(@TempDir Path dir) throws Exception {
    Path certs = dir.resolve("certs");
    ChildJvm mk = launch(DealerCli.class, "certs", "--out", certs.toString());
    mk.assertExits(0, 60);

    Model model = Zoo.load("tiny-pkn");
    Architecture arch = Architecture.of(model);
    double[] x = arch.inputRange().clamp(Zoo.sampleInputs(model, 1, 99)[0]);
    StringBuilder text = new StringBuilder();
    for (double v : x) {
      text.append(v).append('\n');
    }
    Path input = dir.resolve("input.txt");
    Files.writeString(input, text);

    ChildJvm dealer =
        launch(
            DealerCli.class, "serve", "--port", "0", "--certs", certs.resolve("dealer").toString());
    ChildJvm p0 = null;
    ChildJvm p1 = null;
    try {
      int dealerPort = dealer.awaitNumber(Pattern.compile("dealer listening on port (\\d+)"));
      p0 =
          launch(
              PartyCli.class,
              "run",
              "--id",
              "0",
              "--listen",
              "0",
              "--dealer",
              "localhost:" + dealerPort,
              "--certs",
              certs.resolve("party0").toString(),
              "--model",
              "tiny-pkn",
              "--session",
              "three",
              "--json",
              dir.resolve("p0.json").toString(),
              "--timeout",
              "30",
              "--connect-deadline",
              "30");
      int peerPort = p0.awaitNumber(Pattern.compile("listening for party 1 on port (\\d+)"));
      p1 =
          launch(
              PartyCli.class,
              "run",
              "--id",
              "1",
              "--peer",
              "localhost:" + peerPort,
              "--dealer",
              "127.0.0.1:" + dealerPort,
              "--certs",
              certs.resolve("party1").toString(),
              "--expect-architecture",
              arch.sha256Hex(),
              "--input",
              input.toString(),
              "--json",
              dir.resolve("p1.json").toString(),
              "--timeout",
              "30",
              "--connect-deadline",
              "30");
      p1.assertExits(0, 120);
      p0.assertExits(0, 30);
      String json1 = Files.readString(dir.resolve("p1.json"));
      String json0 = Files.readString(dir.resolve("p0.json"));
      int expected = PartyRunner.argmax(PlainEvaluator.forward(model, x));
      assertTrue(json1.contains("\"prediction\": " + expected), json1);
      assertFalse(json0.contains("logits"), "party 0's report has no logits: " + json0);
      assertTrue(p1.output().contains("prediction: class " + expected), p1.output());
      assertTrue(p0.output().contains("--expect-architecture " + arch.sha256Hex()), p0.output());
      // The dealer closes a session when both parties' goodbyes arrive, which may be after the
      // parties have exited: wait for it (bounded) rather than racing the teardown below.
      dealer.awaitNumber(Pattern.compile("session 'three' done"));
      for (ChildJvm j : List.of(dealer, p0, p1)) {
        assertFalse(j.output().contains("LEAK"), j.output());
      }
    } finally {
      ChildJvms.destroyAll(p0, p1, dealer);
    }
  }
}
