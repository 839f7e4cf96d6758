package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.ReluMode;
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

  @ParameterizedTest(name = "{0} --relu {1}")
  @CsvSource({"tiny-pkn, gc", "lenet5-pkn, gc", "tiny-relu, gc", "tiny-relu, fss"})
  void theSameInputGivesBitIdenticalLogitsEqualToTheExactReference(
      String name, String relu, @TempDir Path dir) throws Exception {
    Model model = Zoo.load(name);
    double[] x = Demo.inputs(model, 1, 7)[0];
    double[][] logits =
        session(
            dealer.parties(name).relu(ReluMode.parse(relu)),
            Demo.file(dir, "x.txt", x),
            PartyRunner.TRUNCATION);
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
        session(
            dealer.parties(name),
            Demo.file(dir, "x.txt", Demo.inputs(model, 1, 7)[0]),
            TruncationMode.DEALER);
    boolean differ = false;
    for (int k = 1; k < QUERIES; k++) {
      differ |= !java.util.Arrays.equals(logits[0], logits[k]);
    }
    assertTrue(differ, name + ": " + QUERIES + " dealer-truncated queries were all bit-identical");
  }

  /**
   * Party 0 chooses the ReLU mode; a party 1 given another is refused by the plan hash at session
   * start, both sides naming the options to align (never a silent switch to party 0's mode).
   */
  @ParameterizedTest(name = "party 0 --relu {0}, party 1 --relu {1}")
  @CsvSource({"fss, gc", "gc, fss"})
  void aReluModeMismatchIsRefusedAtSessionStart(String relu0, String relu1, @TempDir Path dir)
      throws Exception {
    Model model = Zoo.load("tiny-relu");
    Path input = Demo.file(dir, "x.txt", Demo.inputs(model, 1, 7)[0]);
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                session(
                    dealer.parties("tiny-relu").relu(ReluMode.parse(relu0), ReluMode.parse(relu1)),
                    input,
                    PartyRunner.TRUNCATION));
    String all = messages(e);
    assertTrue(all.contains("plans differ") && all.contains("--relu"), all);
  }

  private static String messages(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t.getMessage()).append(" | ");
    }
    return b.toString();
  }

  /** A session of {@link #QUERIES} inferences of the same input; party 1's logits per query. */
  private static double[][] session(Parties parties, Path input, TruncationMode mode)
      throws Exception {
    PartyRunner.Report r1 =
        parties.input(input).inferences(QUERIES).timeout(T).truncation(mode).run().party1();
    assertEquals(QUERIES, r1.inferences().size());
    double[][] out = new double[QUERIES][];
    for (int k = 0; k < QUERIES; k++) {
      out[k] = r1.inferences().get(k).logits();
    }
    return out;
  }
}
