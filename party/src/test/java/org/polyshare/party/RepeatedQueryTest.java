package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.Role;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.dealer.DealerServer;
import org.polyshare.models.arch.Architecture;
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
  private static NetTransport net;
  private static DealerServer dealer;

  @BeforeAll
  static void start() {
    net = NetTransport.create(2);
    dealer =
        new DealerServer(
            net,
            NetFixtures.identity(Role.DEALER),
            0,
            DealerServer.Settings.defaults().withPairTimeout(Duration.ofSeconds(20)),
            new PrintStream(new ByteArrayOutputStream()));
  }

  @AfterAll
  static void stop() {
    dealer.close();
    net.close();
  }

  @ParameterizedTest(name = "{0} --relu {1}")
  @CsvSource({"tiny-pkn, gc", "lenet5-pkn, gc", "tiny-relu, gc", "tiny-relu, fss"})
  void theSameInputGivesBitIdenticalLogitsEqualToTheExactReference(
      String name, String relu, @TempDir Path dir) throws Exception {
    Model model = Zoo.load(name);
    double[] x = input(model);
    double[][] logits = session(name, file(dir, x), null, ReluMode.parse(relu), null);
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
    double[][] logits = session(name, file(dir, input(model)), TruncationMode.DEALER, null, null);
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
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                session(
                    "tiny-relu",
                    file(dir, input(model)),
                    null,
                    ReluMode.parse(relu0),
                    ReluMode.parse(relu1)));
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

  /** One input inside the published range (party 1 refuses others). */
  private static double[] input(Model model) {
    double[] x = Zoo.sampleInputs(model, 1, 7)[0];
    Architecture.of(model).inputRange().clamp(x);
    return x;
  }

  private static Path file(Path dir, double[] x) throws Exception {
    StringBuilder b = new StringBuilder();
    for (double v : x) {
      b.append(v).append('\n');
    }
    Path p = dir.resolve("x.txt");
    Files.writeString(p, b);
    return p;
  }

  /**
   * A session of {@link #QUERIES} inferences of the same input; party 1's logits per query. Party 0
   * runs ReLU by {@code relu0}, party 1 by {@code relu1} (null: the same as party 0).
   */
  private static double[][] session(
      String model, Path input, TruncationMode mode, ReluMode relu0, ReluMode relu1)
      throws Exception {
    CompletableFuture<Integer> listening = new CompletableFuture<>();
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
                        NetFixtures.certs(),
                        model,
                        null,
                        null,
                        QUERIES,
                        T,
                        T,
                        NetworkProfile.LOOPBACK,
                        null,
                        null,
                        mode,
                        relu0),
                    net,
                    new PrintStream(new ByteArrayOutputStream()),
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
                NetFixtures.certs(),
                null,
                input,
                null,
                QUERIES,
                T,
                T,
                NetworkProfile.LOOPBACK,
                null,
                null,
                mode,
                relu1 == null ? relu0 : relu1),
            net,
            new PrintStream(new ByteArrayOutputStream()),
            p -> {});
    p0.get(60, TimeUnit.SECONDS);
    assertEquals(QUERIES, r1.inferences().size());
    double[][] out = new double[QUERIES][];
    for (int k = 0; k < QUERIES; k++) {
      out[k] = r1.inferences().get(k).logits();
    }
    return out;
  }
}
