package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.polyshare.core.store.MaterialStore;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.OfflineSchedule;
import org.polyshare.models.zoo.Zoo;

/** Both parties on threads of this JVM, the dealer service too, all links over loopback TLS. */
class PartyRunnerTest {
  @RegisterExtension
  static final LoopbackDealer dealer = new LoopbackDealer(Duration.ofSeconds(10));

  private static Path materials;

  @BeforeAll
  static void start() throws Exception {
    materials = Files.createTempDirectory("polyshare-runner-materials");
    MaterialStore.useDirectory(materials); // as `party run --material-dir` does
  }

  @AfterAll
  static void stop() throws Exception {
    MaterialStore.useDirectory(null);
    Files.delete(materials);
  }

  @ParameterizedTest
  @CsvSource({"tiny-pkn, STREAMED", "tiny-relu, STREAMED", "tiny-pkn, AHEAD"})
  void twoPartiesMatchThePlaintextModel(String name, OfflineSchedule offline) throws Exception {
    int inferences = 2;
    Parties.Outcome o =
        dealer
            .parties(name)
            .clientModel(name)
            .session("runner-" + name + "-" + offline)
            .inferences(inferences)
            .offline(offline)
            .run();
    PartyRunner.Report r0 = o.party0();
    PartyRunner.Report r1 = o.party1();

    Model model = Zoo.load(name);
    // the demo inputs party 1 used, clamped into the range party 0 published
    Demo.assertMatchesPlaintext(model, r1, Demo.inputs(model, inferences));
    for (int k = 0; k < inferences; k++) {
      assertNull(r0.inferences().get(k).logits(), "party 0 learns no logits");
      assertTrue(r1.inferences().get(k).onlineTraffic().rounds() > 0);
      // the dealer's messages for an inference arrive in its offline phase or, streamed, while it
      // runs
      assertTrue(r1.inferences().get(k).dealerBytes() > 0, "no dealer bytes in inference " + k);
    }
    assertEquals(r0.planHash(), r1.planHash());
    assertTrue(
        Architecture.holdsNoWeights(r1.compiled()), "party 1 ran a model with weight arrays");
    assertTrue(r1.dealerBytesReceived() > 0 && r0.dealerBytesReceived() > 0);
    assertTrue(PartyRunner.toJson(r1).contains("\"prediction\": "));
    assertTrue(
        PartyRunner.toJson(r0).contains("\"offline\": \"" + offline.name().toLowerCase() + "\""));
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
