package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.core.link.LinkException;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.OnnxExporter;
import org.polyshare.models.zoo.Zoo;

/**
 * Party 1 holds no model: it runs what party 0 sends over their link, or what a local
 * architecture-only file or {@code --expect-architecture} pins, never a file with weights, and only
 * on inputs inside the published calibrated range.
 */
class ArchitectureSessionTest {
  private static final String MODEL = "tiny-pkn";

  @RegisterExtension
  static final LoopbackDealer dealer = new LoopbackDealer(Duration.ofSeconds(10));

  /** Party 0 (a {@code run}, listening, the real weights); party 1 holds no model by default. */
  private static Parties parties() {
    return dealer.parties(MODEL);
  }

  private static void assertMatchesPlaintext(PartyRunner.Report r1, int n) {
    Model model = Zoo.load(MODEL);
    Demo.assertMatchesPlaintext(model, r1, Demo.inputs(model, n));
  }

  @Test
  void partyOneWithNoModelRunsTheArchitecturePartyZeroSentAndHoldsNoWeights() throws Exception {
    Parties.Outcome o = parties().inferences(2).run();
    Model compiled = o.party1().compiled();
    assertTrue(
        Architecture.holdsNoWeights(compiled), "party 1 compiled a model with weight arrays");
    assertFalse(
        Architecture.holdsNoWeights(o.party0().compiled()),
        "party 0 runs the weights (the check can fail)");
    assertEquals(
        Architecture.of(Zoo.load(MODEL)).sha256Hex(), Architecture.of(compiled).sha256Hex());
    assertEquals(o.party0().planHash(), o.party1().planHash());
    assertMatchesPlaintext(o.party1(), 2);
    String hash = Architecture.of(Zoo.load(MODEL)).sha256Hex();
    assertTrue(
        o.out0().contains("--expect-architecture " + hash),
        "party 0 prints the hash:\n" + o.out0());
  }

  @Test
  void partyOneWithOnlyAnArchitectureFileAndItsHashSucceeds(@TempDir Path dir) throws Exception {
    Architecture arch = Architecture.of(Zoo.load(MODEL));
    Path file = dir.resolve("tiny.arch");
    arch.write(file);
    Parties.Outcome o = parties().clientModel(file.toString()).expect(arch.sha256Hex()).run();
    assertTrue(Architecture.holdsNoWeights(o.party1().compiled()));
    assertMatchesPlaintext(o.party1(), 1);
  }

  @Test
  void anOnnxFileWithWeightsIsRefusedAtPartyOneSayingHowToMakeTheArchitectureFile(@TempDir Path dir)
      throws Exception {
    Path onnx = dir.resolve("tiny.onnx");
    OnnxExporter.write(Zoo.load(MODEL), onnx);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> parties().clientModel(onnx.toString()).runClient(1));
    assertTrue(e.getMessage().contains("bin/models export --architecture-only"), e.getMessage());
    assertTrue(
        e.getMessage().contains("ONNX") && e.getMessage().contains("weights"), e.getMessage());
  }

  @Test
  void aWrongExpectedArchitectureIsRefusedAndPartyZeroHearsOnlyTheCode() throws Exception {
    String other = Architecture.of(Zoo.architecture("tiny-relu")).sha256Hex();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> parties().expect(other).run());
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
        assertThrows(IllegalArgumentException.class, () -> parties().expect("abc").runClient(1));
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
        assertThrows(IllegalArgumentException.class, () -> parties().input(input).run());
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
    Parties.Outcome ok = parties().input(input).run();
    assertEquals(1, ok.party1().inferences().size());
  }
}
