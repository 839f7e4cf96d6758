package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.polyshare.core.link.LinkException;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.RingForward;
import org.polyshare.models.zoo.Zoo;

/**
 * {@code party run --batch B} and {@code party serve} with batches, both parties and the dealer on
 * threads of this JVM over loopback TLS: B different inputs in one secure evaluation give, with
 * exact truncation, the same bits as B single inferences and as the exact int64 reference.
 */
class BatchTest {
  private static final Duration T = Duration.ofSeconds(60);

  @RegisterExtension
  static final LoopbackDealer dealer = new LoopbackDealer(Duration.ofSeconds(20));

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tiny-pkn", "tiny-relu"})
  void aBatchOfThreeGivesTheBitsOfThreeSingleRuns(String name, @TempDir Path dir) throws Exception {
    Model model = Zoo.load(name);
    double[][] xs = inputs(model, 3);
    Path file = file(dir, xs);
    PartyRunner.Report batched = pair(name, file, 1, 3);
    PartyRunner.Report single = pair(name, file, 3, 1);

    assertEquals(1, batched.inferences().size());
    assertEquals(3, batched.batch());
    PartyRunner.Inference one = batched.inferences().get(0);
    assertEquals(3, one.batchLogits().length);
    double[][] want = new RingForward(model, 3).forward(xs);
    for (int j = 0; j < 3; j++) {
      assertArrayEquals(
          single.inferences().get(j).logits(),
          one.batchLogits()[j],
          0.0,
          name + ": input " + j + " of the batch differs from its single run");
      assertArrayEquals(want[j], one.batchLogits()[j], 0.0, name + ": input " + j);
      assertEquals(PartyRunner.argmax(want[j]), one.predictions()[j]);
    }
    // the three inputs are different, so equal logits above are not a coincidence of one input
    assertTrue(
        !java.util.Arrays.equals(want[0], want[1]) && !java.util.Arrays.equals(want[1], want[2]));

    String json = PartyRunner.toJson(batched);
    assertTrue(json.contains("\"batch\": 3"), json);
    assertTrue(json.contains("\"online_bytes\": "), "the batch's cost: " + json);
    for (int j = 0; j < 3; j++) {
      StringBuilder row = new StringBuilder("{\"input\": " + j + ", \"prediction\": ");
      row.append(one.predictions()[j]).append(", \"logits\": [");
      for (int c = 0; c < want[j].length; c++) {
        row.append(c == 0 ? "" : ", ").append(Double.toString(want[j][c]));
      }
      assertTrue(json.contains(row + "]}"), "input " + j + " in full precision: " + json);
    }
  }

  @Test
  void theServiceAnswersBatchesUpToItsLimit(@TempDir Path dir) throws Exception {
    Model model = Zoo.load("tiny-pkn");
    double[][] xs = inputs(model, 4);
    Path file = file(dir, xs);
    try (PartyService service =
        dealer.service(
            model,
            PartyRunner.options(PartyRunner.TRUNCATION),
            new PartyService.Settings("localhost", dealer.port(), T, T, 2, 0, 10, null, 2))) {
      // two inferences of batch 2: inputs 0,1 then 2,3
      PartyRunner.Report r = client(service.port(), file, 2, 2);
      double[][] want = new RingForward(model, 4).forward(xs);
      assertEquals(2, r.inferences().size());
      for (int k = 0; k < 2; k++) {
        for (int j = 0; j < 2; j++) {
          assertArrayEquals(want[2 * k + j], r.inferences().get(k).batchLogits()[j], 0.0);
        }
      }
      LinkException refused =
          assertThrows(LinkException.class, () -> client(service.port(), file, 1, 3));
      assertTrue(refused.getMessage().contains("party/bad-request"), refused.getMessage());
      assertEquals(1, service.completedSessions());
    }
  }

  /** Party 0 and party 1 of {@code party run}, both with the same --inferences and --batch. */
  private static PartyRunner.Report pair(String model, Path input, int inferences, int batch)
      throws Exception {
    Parties.Outcome o = parties(model, input, inferences, batch).run();
    assertNull(o.party0().inferences().get(0).batchLogits(), "party 0 learns no logits");
    assertEquals(o.party0().planHash(), o.party1().planHash());
    return o.party1();
  }

  /** Party 1 alone against a service at {@code port}. */
  private static PartyRunner.Report client(int port, Path input, int inferences, int batch) {
    return parties("tiny-pkn", input, inferences, batch).runClient(port);
  }

  private static Parties parties(String model, Path input, int inferences, int batch) {
    return dealer.parties(model).input(input).inferences(inferences).batch(batch).timeout(T);
  }

  /** {@code n} different inputs inside the published range. */
  private static double[][] inputs(Model model, int n) {
    double[][] xs = Zoo.sampleInputs(model, n, 11);
    for (double[] x : xs) {
      Architecture.of(model).inputRange().clamp(x);
    }
    return xs;
  }

  private static Path file(Path dir, double[][] xs) throws Exception {
    StringBuilder b = new StringBuilder();
    for (double[] x : xs) {
      for (double v : x) {
        b.append(v).append('\n');
      }
    }
    Path p = dir.resolve("inputs.txt");
    Files.writeString(p, b);
    return p;
  }
}
