package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.RingForward;
import org.polyshare.models.zoo.Zoo;

/**
 * What party 1 receives on the party path is a function of the weights and its input alone: the
 * same input queried many times in one session over TLS, with the dealer in its own server, gives
 * bit-identical logits — equal to the int64 reference with exact floor truncations — because the
 * party path truncates exactly by default. With {@code --truncation dealer} the dropped borrows
 * make repeated queries differ, which is what the contrast case shows the check can see.
 */
class RepeatedQueryTest {
  private static final Duration T = Duration.ofSeconds(60);
  private static final int QUERIES = 6;

  @RegisterExtension
  static final LoopbackDealer dealer = new LoopbackDealer(Duration.ofSeconds(20));

  @ParameterizedTest(name = "{0}")
  @CsvSource({"tiny-pkn", "lenet5-pkn", "tiny-relu"})
  void theSameInputGivesBitIdenticalLogitsEqualToTheExactReference(String name, @TempDir Path dir)
      throws Exception {
    Model model = Zoo.load(name);
    double[] x = Demo.inputs(model, 1, 7)[0];
    double[][] logits = session(name, Demo.file(dir, "x.txt", x), PartyRunner.TRUNCATION);
    double[] want = new RingForward(model, 1).forward(new double[][] {x})[0];
    for (int k = 0; k < QUERIES; k++) {
      assertArrayEquals(
          want, logits[k], 0.0, name + ": query " + k + " differs from the exact int64 reference");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"lenet5-pkn"})
  void dealerTruncationVariesAcrossQueriesSoTheCheckCanFail(String name, @TempDir Path dir)
      throws Exception {
    Model model = Zoo.load(name);
    double[][] logits =
        session(name, Demo.file(dir, "x.txt", Demo.inputs(model, 1, 7)[0]), TruncationMode.DEALER);
    boolean differ = false;
    for (int k = 1; k < QUERIES; k++) {
      differ |= !java.util.Arrays.equals(logits[0], logits[k]);
    }
    assertTrue(differ, name + ": " + QUERIES + " dealer-truncated queries were all bit-identical");
  }

  /** A session of {@link #QUERIES} inferences of the same input; party 1's logits per query. */
  private static double[][] session(String model, Path input, TruncationMode mode)
      throws Exception {
    PartyRunner.Report r1 =
        dealer
            .parties(model)
            .input(input)
            .inferences(QUERIES)
            .timeout(T)
            .truncation(mode)
            .run()
            .party1();
    assertEquals(QUERIES, r1.inferences().size());
    double[][] out = new double[QUERIES][];
    for (int k = 0; k < QUERIES; k++) {
      out[k] = r1.inferences().get(k).logits();
    }
    return out;
  }
}
