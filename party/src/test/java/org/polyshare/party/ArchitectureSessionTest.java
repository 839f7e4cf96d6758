package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.Role;
import org.polyshare.dealer.DealerServer;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.OnnxExporter;
import org.polyshare.models.secure.ErrorBound;
import org.polyshare.models.zoo.Zoo;

/**
 * Party 1 holds no model: it runs what party 0 sends over their link, or what a local
 * architecture-only file or {@code --expect-architecture} pins, never a file with weights, and only
 * on inputs inside the published calibrated range.
 */
class ArchitectureSessionTest {
  private static final String MODEL = "tiny-pkn";
  private static final Duration T = Duration.ofSeconds(30);
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
            DealerServer.Settings.defaults().withPairTimeout(Duration.ofSeconds(10)),
            new PrintStream(new ByteArrayOutputStream()));
  }

  @AfterAll
  static void stop() {
    dealer.close();
    net.close();
  }

  private record Outcome(PartyRunner.Report party0, PartyRunner.Report party1, String log0) {}

  /**
   * Party 0 (a {@code run}, listening, the real weights) and party 1 as configured; party 1's
   * failure is thrown.
   */
  private static Outcome session(String model1, String expect, Path input, int inferences)
      throws Exception {
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    ByteArrayOutputStream log0 = new ByteArrayOutputStream();
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
                        MODEL,
                        null,
                        null,
                        inferences,
                        T,
                        T),
                    net,
                    new PrintStream(log0, true, StandardCharsets.UTF_8),
                    listening::complete));
    int port = listening.get(60, TimeUnit.SECONDS);
    PartyRunner.Report r1;
    try {
      r1 =
          PartyRunner.run(
              new PartyRunner.Config(
                  1,
                  "localhost",
                  port,
                  null,
                  "localhost",
                  dealer.port(),
                  NetFixtures.certs(),
                  model1,
                  input,
                  null,
                  inferences,
                  T,
                  T,
                  NetworkProfile.LOOPBACK,
                  null,
                  expect),
              net,
              new PrintStream(new ByteArrayOutputStream()),
              x -> {});
    } catch (RuntimeException e) {
      ExecutionException owner =
          assertThrows(ExecutionException.class, () -> p0.get(60, TimeUnit.SECONDS));
      e.addSuppressed(owner.getCause());
      throw e;
    }
    return new Outcome(p0.get(60, TimeUnit.SECONDS), r1, log0.toString(StandardCharsets.UTF_8));
  }

  private static void assertMatchesPlaintext(PartyRunner.Report r1, double[][] xs) {
    Model model = Zoo.load(MODEL);
    double bound = ErrorBound.logits(model, xs);
    for (int k = 0; k < xs.length; k++) {
      double[] secure = r1.inferences().get(k).logits();
      double[] plain = PlainEvaluator.forward(model, xs[k]);
      for (int j = 0; j < plain.length; j++) {
        assertTrue(
            Math.abs(secure[j] - plain[j]) <= bound,
            "logit " + j + ": " + secure[j] + " vs " + plain[j]);
      }
    }
  }

  /** Party 1's demo inputs (clamped into the published range, as it does). */
  private static double[][] demoInputs(int n) {
    Model model = Zoo.load(MODEL);
    double[][] xs = Zoo.sampleInputs(model, n, 42);
    for (double[] x : xs) {
      Architecture.of(model).inputRange().clamp(x);
    }
    return xs;
  }

  @Test
  void partyOneWithNoModelRunsTheArchitecturePartyZeroSentAndHoldsNoWeights() throws Exception {
    Outcome o = session(null, null, null, 2);
    Model compiled = o.party1().compiled();
    assertTrue(
        Architecture.holdsNoWeights(compiled), "party 1 compiled a model with weight arrays");
    assertFalse(
        Architecture.holdsNoWeights(o.party0().compiled()),
        "party 0 runs the weights (the check can fail)");
    assertEquals(
        Architecture.of(Zoo.load(MODEL)).sha256Hex(), Architecture.of(compiled).sha256Hex());
    assertEquals(o.party0().planHash(), o.party1().planHash());
    assertMatchesPlaintext(o.party1(), demoInputs(2));
    String hash = Architecture.of(Zoo.load(MODEL)).sha256Hex();
    assertTrue(
        o.log0().contains("--expect-architecture " + hash),
        "party 0 prints the hash:\n" + o.log0());
  }

  @Test
  void partyOneWithOnlyAnArchitectureFileAndItsHashSucceeds(@TempDir Path dir) throws Exception {
    Architecture arch = Architecture.of(Zoo.load(MODEL));
    Path file = dir.resolve("tiny.arch");
    arch.write(file);
    Outcome o = session(file.toString(), arch.sha256Hex(), null, 1);
    assertTrue(Architecture.holdsNoWeights(o.party1().compiled()));
    assertMatchesPlaintext(o.party1(), demoInputs(1));
  }

  @Test
  void anOnnxFileWithWeightsIsRefusedAtPartyOneSayingHowToMakeTheArchitectureFile(@TempDir Path dir)
      throws Exception {
    Path onnx = dir.resolve("tiny.onnx");
    OnnxExporter.write(Zoo.load(MODEL), onnx);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PartyRunner.run(
                    new PartyRunner.Config(
                        1,
                        "localhost",
                        1,
                        null,
                        "localhost",
                        1,
                        NetFixtures.certs(),
                        onnx.toString(),
                        null,
                        null,
                        1,
                        T,
                        T),
                    net,
                    new PrintStream(new ByteArrayOutputStream()),
                    x -> {}));
    assertTrue(e.getMessage().contains("bin/models export --architecture-only"), e.getMessage());
    assertTrue(
        e.getMessage().contains("ONNX") && e.getMessage().contains("weights"), e.getMessage());
  }

  @Test
  void aWrongExpectedArchitectureIsRefusedAndPartyZeroHearsOnlyTheCode() throws Exception {
    String other = Architecture.of(Zoo.architecture("tiny-relu")).sha256Hex();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> session(null, other, null, 1));
    assertTrue(
        e.getMessage().contains("--expect-architecture pins " + other)
            && e.getMessage().contains("refusing"),
        e.getMessage());
    Throwable owner = e.getSuppressed()[0];
    assertTrue(
        owner instanceof LinkException
            && owner
                .getMessage()
                .contains("ended the link: " + PeerError.ARCHITECTURE_REFUSED.wire()),
        owner.toString());
  }

  @Test
  void aMalformedExpectedHashIsRefusedBeforeConnecting() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PartyRunner.run(
                    new PartyRunner.Config(
                        1,
                        "localhost",
                        1,
                        null,
                        "localhost",
                        1,
                        NetFixtures.certs(),
                        null,
                        null,
                        null,
                        1,
                        T,
                        T,
                        NetworkProfile.LOOPBACK,
                        null,
                        "abc"),
                    net,
                    new PrintStream(new ByteArrayOutputStream()),
                    x -> {}));
    assertTrue(e.getMessage().contains("64 hex digits"), e.getMessage());
  }

  @Test
  void anInputOutsideThePublishedRangeIsRefusedLocallyAndPartyZeroLearnsNothingOfIt(
      @TempDir Path dir) throws Exception {
    Model model = Zoo.load(MODEL);
    double hi = Architecture.of(model).inputRange().hi();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < model.inputSize(); i++) {
      text.append(i == 17 ? 40 * hi : 0.25).append('\n');
    }
    Path input = dir.resolve("far.txt");
    Files.writeString(input, text);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> session(null, null, input, 1));
    assertTrue(
        e.getMessage().contains("value 17") && e.getMessage().contains("outside the range"),
        e.getMessage());
    Throwable owner = e.getSuppressed()[0];
    assertTrue(
        owner.getMessage().contains("ended the link: " + PeerError.CLIENT_ENDED.wire() + ")"),
        owner.toString());
    // the same input inside the range runs
    Files.writeString(
        input, text.toString().replace(Double.toString(40 * hi), Double.toString(hi / 2)));
    Outcome ok = session(null, null, input, 1);
    assertEquals(1, ok.party1().inferences().size());
  }
}
