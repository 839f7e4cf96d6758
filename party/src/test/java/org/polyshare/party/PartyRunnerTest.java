package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.Role;
import org.polyshare.core.store.MaterialStore;
import org.polyshare.dealer.DealerServer;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.ErrorBound;
import org.polyshare.models.zoo.Zoo;

/** Both parties on threads of this JVM, the dealer service too, all links over loopback TLS. */
class PartyRunnerTest {
  private static NetTransport net;
  private static DealerServer dealer;
  private static Path materials;

  @BeforeAll
  static void start() throws Exception {
    materials = Files.createTempDirectory("polyshare-runner-materials");
    MaterialStore.useDirectory(materials); // as `party run --material-dir` does
    net = NetTransport.create(2);
    dealer =
        new DealerServer(
            net,
            NetFixtures.identity(Role.DEALER),
            0,
            DealerServer.Settings.defaults().withPairTimeout(Duration.ofSeconds(10)),
            new PrintStream(new ByteArrayOutputStream()));
  }

  @AfterAll
  static void stop() throws Exception {
    MaterialStore.useDirectory(null);
    Files.delete(materials);
    dealer.close();
    net.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-pkn", "tiny-relu"})
  void twoPartiesMatchThePlaintextModel(String name) throws Exception {
    int inferences = 2;
    Path certs = NetFixtures.certs();
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    Duration t = Duration.ofSeconds(30);
    CompletableFuture<PartyRunner.Report> p0 =
        CompletableFuture.supplyAsync(
            () ->
                PartyRunner.run(
                    new PartyRunner.Config(
                        0,
                        null,
                        0,
                        0,
                        "localhost",
                        dealer.port(),
                        certs,
                        name,
                        null,
                        "runner-" + name,
                        inferences,
                        t,
                        t),
                    net,
                    quiet,
                    listening::complete));
    int port = listening.get(60, TimeUnit.SECONDS);
    PartyRunner.Report r1 =
        PartyRunner.run(
            new PartyRunner.Config(
                1,
                "localhost",
                port,
                null,
                "localhost",
                dealer.port(),
                certs,
                name,
                null,
                "runner-" + name,
                inferences,
                t,
                t),
            net,
            quiet,
            x -> {});
    PartyRunner.Report r0 = p0.get(60, TimeUnit.SECONDS);

    Model model = Zoo.load(name);
    double[][] xs = Zoo.sampleInputs(model, inferences, 42); // the demo inputs party 1 used,
    for (double[] x : xs) {
      Architecture.of(model).inputRange().clamp(x); // clamped into the range party 0 published
    }
    double bound = ErrorBound.logits(model, xs);
    for (int k = 0; k < inferences; k++) {
      assertNull(r0.inferences().get(k).logits(), "party 0 learns no logits");
      double[] secure = r1.inferences().get(k).logits();
      double[] plain = PlainEvaluator.forward(model, xs[k]);
      for (int j = 0; j < plain.length; j++) {
        assertTrue(
            Math.abs(secure[j] - plain[j]) <= bound,
            name + " logit " + j + ": " + secure[j] + " vs " + plain[j] + " (bound " + bound + ")");
      }
      assertEquals(PartyRunner.argmax(plain), r1.inferences().get(k).prediction());
      assertTrue(r1.inferences().get(k).onlineTraffic().rounds() > 0);
    }
    assertEquals(r0.planHash(), r1.planHash());
    assertTrue(
        Architecture.holdsNoWeights(r1.compiled()), "party 1 ran a model with weight arrays");
    assertTrue(r1.dealerBytesReceived() > 0 && r0.dealerBytesReceived() > 0);
    assertTrue(PartyRunner.toJson(r1).contains("\"prediction\": "));
    for (PartyRunner.Report r : new PartyRunner.Report[] {r0, r1}) {
      MemoryUsage m = r.memory();
      assertTrue(m.materialFileBacked() && m.peakHeapBytes() > 0, m.toString());
      // GC material (party 1's tables, party 0's labels) went to the files; a PKN keeps none
      assertEquals(name.endsWith("-relu"), m.materialPeakBytes() > 0, m.toString());
      assertTrue(
          PartyRunner.toJson(r)
              .contains("\"material_store_peak_bytes\": " + m.materialPeakBytes()));
    }
    try (var left = Files.list(materials)) {
      assertEquals(0, left.count(), "each session removed its material directory");
    }
  }
}
