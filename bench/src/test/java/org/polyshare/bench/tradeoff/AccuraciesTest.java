package org.polyshare.bench.tradeoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;

/**
 * A model's accuracy report is found by its model file: every exported graph reports the same model
 * name ("torch_jit"), so the name would hand one model's accuracy to another.
 */
class AccuraciesTest {
  @TempDir Path dir;

  private final Model model = Zoo.load(Zoo.names().get(0));

  /** A {@code bench accuracy --json} report of {@code file} under the one shared model name. */
  private Path report(String name, String file, double accuracy) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(
        f,
        "{\"model\": \""
            + model.name()
            + "\", \"file\": \""
            + file
            + "\", \"dataset\": \"MNIST\", \"images\": 10000, \"secure_accuracy\": "
            + accuracy
            + "}");
    return f;
  }

  @Test
  void eachModelGetsTheReportOfItsOwnFile() throws Exception {
    Accuracies a =
        new Accuracies(
            List.of(
                report("pkn.json", "out/pkn.onnx", 0.9083), report("relu.json", "relu.onnx", 0.95)),
            null,
            null);
    assertEquals(0.9083, a.of("out/pkn.onnx", model).accuracy());
    assertEquals(0.95, a.of("elsewhere/relu.onnx", model).accuracy(), "matched by file name");
  }

  @Test
  void aModelWhoseFileNoReportNamesIsRefusedNotGivenAnotherModelsAccuracy() throws Exception {
    Accuracies a = new Accuracies(List.of(report("pkn.json", "pkn.onnx", 0.9083)), null, null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> a.of("relu.onnx", model));
    assertTrue(e.getMessage().startsWith("no accuracy for model relu.onnx"), e.getMessage());
  }

  @Test
  void twoReportsOfTheSameModelFileAreRefusedByName() throws Exception {
    Accuracies a =
        new Accuracies(
            List.of(report("a.json", "x/net.onnx", 0.9), report("b.json", "y/net.onnx", 0.8)),
            null,
            null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> a.of("net.onnx", model));
    assertTrue(
        e.getMessage().contains("two accuracy reports match model net.onnx")
            && e.getMessage().contains("a.json")
            && e.getMessage().contains("b.json"),
        e.getMessage());
  }
}
