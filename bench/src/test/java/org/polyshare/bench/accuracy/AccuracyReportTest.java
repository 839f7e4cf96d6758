package org.polyshare.bench.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.polyshare.bench.harness.Report;

class AccuracyReportTest {
  @Test
  void aFlipIsANearTieOnlyWithinTwiceTheBound() {
    assertTrue(new DifferingPrediction(0, 1, 1, 2, 0.01, 0.005).nearTie());
    assertFalse(new DifferingPrediction(0, 1, 1, 2, 0.0101, 0.005).nearTie());
  }

  @Test
  void jsonListsEachDifferingPredictionAfterTheFlatFields() {
    Report flat = new Report("t").put("images", 3L).put("secure_accuracy", 0.5);
    AccuracyReport r =
        new AccuracyReport(
            flat,
            List.of(
                new DifferingPrediction(7, 3, 3, 5, 0.001, 0.002),
                new DifferingPrediction(9, 1, 2, 1, 0.5, 0.002)));
    JsonObject o = JsonParser.parseString(r.json()).getAsJsonObject();
    assertEquals(3, o.get("images").getAsInt());
    JsonArray d = o.getAsJsonArray("differing");
    assertEquals(2, d.size());
    assertEquals(7, d.get(0).getAsJsonObject().get("image").getAsInt());
    assertTrue(d.get(0).getAsJsonObject().get("near_tie").getAsBoolean());
    assertFalse(d.get(1).getAsJsonObject().get("near_tie").getAsBoolean());
    assertEquals(1, r.unexplained());
    assertTrue(r.markdown().contains("| 9 | 1 | 2 | 1 | 0.500 | 0.00400 | **no** |"), r.markdown());
    // none differing: still valid JSON, an empty list
    AccuracyReport none = new AccuracyReport(new Report("t").put("images", 1L), List.of());
    assertEquals(
        0,
        JsonParser.parseString(none.json()).getAsJsonObject().getAsJsonArray("differing").size());
    assertTrue(none.markdown().contains("None."));
  }

  @Test
  void theDataSetIsNamedOrGuessedFromTheDirectory() {
    assertEquals(IdxDataset.FASHION_MNIST, IdxDataset.guess(Path.of("/data/fashion-mnist")));
    assertEquals(IdxDataset.MNIST, IdxDataset.guess(Path.of("/data/mnist")));
    assertEquals(IdxDataset.FASHION_MNIST, IdxDataset.named("Fashion_MNIST"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> IdxDataset.named("cifar10"));
    assertTrue(e.getMessage().contains("cifar10"), e.getMessage());
  }
}
