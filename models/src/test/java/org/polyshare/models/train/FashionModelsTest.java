package org.polyshare.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.polyshare.models.data.FashionMnist;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyAct;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.graph.Relu;

/**
 * The shipped Fashion-MNIST ResNet-8s (trained by models/src/main/python/train_fashion.py) against
 * the outside oracle: PyTorch's own float32 logits for the first 64 test images, recorded when the
 * model was exported ({@code resources/fashion/NAME.logits}).
 */
class FashionModelsTest {

  /** |Java − PyTorch| ≤ TOLERANCE · max(1, max |PyTorch logit| of the image). */
  static final double TOLERANCE = 1e-4;

  static List<String> models() {
    return TrainedModels.fashionNames();
  }

  static Path fashionDir() {
    String env = System.getenv("POLYSHARE_FASHION_MNIST_DIR");
    if (env != null) {
      return Path.of(env);
    }
    Path local = Path.of("..", "data", "fashion-mnist");
    return FashionMnist.present(local) ? local : FashionMnist.PACKAGE_DIR;
  }

  static Mnist.Split testSet() throws IOException {
    Path dir = fashionDir();
    Assumptions.assumeTrue(
        FashionMnist.present(dir),
        "Fashion-MNIST not found in "
            + dir.toAbsolutePath()
            + ": skipping (apt-get install "
            + FashionMnist.DEBIAN_PACKAGE
            + ", or set POLYSHARE_FASHION_MNIST_DIR)");
    return FashionMnist.test(dir);
  }

  @ParameterizedTest
  @MethodSource("models")
  void importsWithItsArmsActivationOnly(String name) {
    Model m = TrainedModels.load(name);
    int relu = 0, polyKerv = 0, polyAct = 0;
    for (Layer l : m.layers()) {
      relu += l instanceof Relu ? 1 : 0;
      polyKerv += l instanceof PolyKerv ? 1 : 0;
      polyAct += l instanceof PolyAct ? 1 : 0;
    }
    if (name.contains("-relu-")) {
      assertEquals(List.of(4, 0, 0), List.of(relu, polyKerv, polyAct), m.toString());
    } else if (name.contains("-rpkn-")) {
      // the fused PolyKerv has no output scale: each ap·(conv + cp)² is a conv and a PolyAct
      assertEquals(List.of(0, 0, 4), List.of(relu, polyKerv, polyAct), m.toString());
    } else {
      assertEquals(List.of(0, 4, 0), List.of(relu, polyKerv, polyAct), m.toString());
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void plainEvaluatorMatchesPyTorchsLogits(String name) throws IOException {
    Mnist.Split test = testSet();
    Model m = TrainedModels.load(name);
    List<double[]> rows = fixture(name);
    assertEquals(64, rows.size());
    double worst = 0;
    for (double[] row : rows) {
      int index = (int) row[0];
      assertEquals((int) row[1], test.labels()[index], "fixture label of test image " + index);
      double[] java = PlainEvaluator.forward(m, test.image(index));
      double scale = 1;
      for (int c = 0; c < 10; c++) {
        scale = Math.max(scale, Math.abs(row[2 + c]));
      }
      for (int c = 0; c < 10; c++) {
        double err = Math.abs(java[c] - row[2 + c]) / scale;
        worst = Math.max(worst, err);
        assertTrue(
            err <= TOLERANCE,
            String.format(
                "%s image %d logit %d: Java %.7g, PyTorch %.7g",
                name, index, c, java[c], row[2 + c]));
      }
    }
    System.out.printf("%s: worst |Java - PyTorch| / scale over 64 images: %.3g%n", name, worst);
  }

  @ParameterizedTest
  @MethodSource("models")
  void classifiesFashionMnist(String name) throws IOException {
    double acc = TrainerTest.plainAccuracy(TrainedModels.load(name), testSet().head(1000));
    assertTrue(acc > 0.88, name + " plaintext accuracy on the first 1000 test images: " + acc);
  }

  /** Rows {index, label, logit0..logit9} of {@code /fashion/NAME.logits}. */
  static List<double[]> fixture(String name) throws IOException {
    String path = "/fashion/" + name + ".logits";
    try (InputStream in = FashionModelsTest.class.getResourceAsStream(path)) {
      assertTrue(in != null, "missing fixture " + path);
      List<double[]> rows = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split("\\s+");
        double[] row = new double[f.length];
        for (int i = 0; i < f.length; i++) {
          row[i] = Double.parseDouble(f[i]);
        }
        rows.add(row);
      }
      return rows;
    }
  }
}
