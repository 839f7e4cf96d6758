package org.polyshare.models.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;

/** A command line's model: a zoo name or a user's ONNX file, through ModelSource and Zoo alike. */
class ModelSourceTest {
  static String corpusFile(String name) throws URISyntaxException {
    return Path.of(ModelSourceTest.class.getResource("/onnx/corpus/" + name).toURI()).toString();
  }

  @Test
  void anOnnxFileLoadsWithItsOwnWeightsAndItsArchitectureHasNone() throws Exception {
    String file = corpusFile("pkn_sequential-opset13.onnx");
    assertTrue(ModelSource.isFile(file));
    Model m = ModelSource.load(file);
    Model viaZoo = Zoo.load(file); // what bench model / bench compare call
    double[] x = Zoo.sampleInputs(m, 1, 3)[0];
    assertArrayEquals(PlainEvaluator.forward(m, x), PlainEvaluator.forward(viaZoo, x));
    Model arch = ModelSource.architecture(file);
    assertEquals(m.layers().size(), arch.layers().size());
    assertArrayEquals(
        org.polyshare.models.arch.Architecture.of(m).encode(),
        org.polyshare.models.arch.Architecture.of(arch).encode(),
        "same public part");
  }

  @Test
  void zooNamesStillLoadFromTheZooAndMissingFilesAreNamed() {
    assertFalse(ModelSource.isFile("tiny-pkn"));
    assertEquals(
        Zoo.architecture("tiny-pkn").layers().size(),
        ModelSource.architecture("tiny-pkn").layers().size());
    OnnxFormatException e =
        assertThrows(OnnxFormatException.class, () -> ModelSource.load("no/such/model.onnx"));
    assertTrue(e.getMessage().contains("no/such/model.onnx"), e.getMessage());
  }
}
