package org.polyshare.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.zoo.Zoo;

class TrainerTest {

  /**
   * Ten classes of 8×8 images: a fixed random ±1 prototype per class plus Gaussian noise of the
   * same scale, so a class is recognisable but no single pixel decides it.
   */
  static Mnist.Split synthetic(int n, long seed) {
    SplittableRandom protoRng = new SplittableRandom(42);
    double[][] proto = new double[10][64];
    for (double[] p : proto) {
      for (int i = 0; i < 64; i++) {
        p[i] = protoRng.nextBoolean() ? 1 : -1;
      }
    }
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[n * 64];
    int[] y = new int[n];
    for (int s = 0; s < n; s++) {
      y[s] = rng.nextInt(10);
      for (int i = 0; i < 64; i++) {
        x[s * 64 + i] = proto[y[s]][i] + gaussian(rng);
      }
    }
    return new Mnist.Split(n, x, y);
  }

  static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  static Trainer.Config config(int epochs, boolean bn) {
    return new Trainer.Config(epochs, 32, 3e-3, Optimizer.Kind.ADAM, 0, 7L, 2, 16, bn, 0);
  }

  /** Top-1 accuracy of an exported model through the models module's plaintext evaluator. */
  static double plainAccuracy(Model m, Mnist.Split data) {
    int ok = 0;
    for (int i = 0; i < data.n(); i++) {
      double[] logits = PlainEvaluator.forward(m, data.image(i));
      int arg = 0;
      for (int c = 1; c < logits.length; c++) {
        if (logits[c] > logits[arg]) {
          arg = c;
        }
      }
      ok += arg == data.labels()[i] ? 1 : 0;
    }
    return (double) ok / data.n();
  }

  @Test
  void tinyPknLearnsSyntheticClassesAndExportsTheSameNetwork() {
    Mnist.Split train = synthetic(640, 1), test = synthetic(300, 2);
    Trainer.Result r =
        new Trainer(config(6, true), null).train(Zoo.architecture("tiny-pkn"), train, test);
    assertTrue(r.testAccuracy() > 0.8, "accuracy " + r.testAccuracy() + " (chance is 0.1)");
    // The exported graph (BatchNorm folded into each PolyKerv's conv) is the same function:
    // the plaintext evaluator must agree with the trainer's own inference-mode accuracy.
    assertEquals(r.testAccuracy(), plainAccuracy(r.model(), test), 1e-9);
    assertEquals(Zoo.architecture("tiny-pkn").layers().size(), r.model().layers().size());
  }

  @Test
  void sgdWithMomentumAlsoLearns() {
    Trainer.Config c =
        new Trainer.Config(6, 32, 0.02, Optimizer.Kind.SGD, 1e-4, 3L, 1, 16, true, 0);
    Trainer.Result r =
        new Trainer(c, null)
            .train(Zoo.architecture("tiny-relu"), synthetic(640, 3), synthetic(300, 4));
    assertTrue(r.testAccuracy() > 0.8, "accuracy " + r.testAccuracy());
  }

  /** Six stacked squarings: degree 64 in the input when nothing normalises in between. */
  static Model deepPkn() {
    Model.Builder b = Model.builder("deep-pkn", 1, 8, 8);
    for (int i = 1; i <= 6; i++) {
      b.polyKerv("pk" + i, 8, 3, 1, 1, 1.0, 2);
    }
    return b.avgPool("pool", 2, 2).flatten("flatten").linear("fc", 10).build();
  }

  @Test
  void deepPknWithoutBatchNormIsStoppedNamingTheEscapingLayer() {
    EscapingActivationException e =
        assertThrows(
            EscapingActivationException.class,
            () -> new Trainer(config(2, false), null).train(deepPkn(), synthetic(256, 5), null));
    assertTrue(e.layer().startsWith("pk"), "a PolyKerv escapes first, got " + e.layer());
    assertTrue(e.epoch() == 1 && e.step() >= 1);
    assertTrue(
        e.getMessage().contains("escaping activations: layer '" + e.layer() + "'"), e.getMessage());
    assertTrue(!(e.maxAbs() <= e.limit()), "reported value is beyond the limit");
  }

  @Test
  void theSameDeepPknWithBatchNormStaysBoundedAndLearns() {
    Trainer.Result r =
        new Trainer(config(6, true), null).train(deepPkn(), synthetic(640, 6), synthetic(300, 7));
    for (Trainer.Epoch e : r.epochs()) {
      for (int i = 0; i < r.limits().length; i++) {
        double m = e.maxAbsPerLayer()[i];
        assertTrue(m < r.limits()[i] / 16, "activations bounded well below the limit, got " + m);
      }
    }
    assertTrue(r.testAccuracy() > 0.5, "accuracy " + r.testAccuracy());
    for (Layer l : r.model().layers()) {
      assertTrue(!(l instanceof PolyKerv p) || p.cp().length == 1);
    }
  }

  /** Where the MNIST IDX files are for tests: $POLYSHARE_MNIST_DIR, else data/mnist at the root. */
  static Path mnistDir() {
    String env = System.getenv("POLYSHARE_MNIST_DIR");
    return env != null ? Path.of(env) : Path.of("..", "data", "mnist");
  }

  @Test
  void lenet5PknOnAnMnistSubset() throws IOException {
    Path dir = mnistDir();
    Assumptions.assumeTrue(
        Mnist.present(dir),
        "MNIST IDX files not found in "
            + dir.toAbsolutePath()
            + ": skipping the MNIST subset test (fetch with `bin/models data mnist --out data/mnist`"
            + " or set POLYSHARE_MNIST_DIR)");
    Mnist.Split train = Mnist.train(dir).head(2048), test = Mnist.test(dir).head(500);
    Trainer.Result r =
        new Trainer(config(1, true), null).train(Zoo.architecture("lenet5-pkn"), train, test);
    assertTrue(r.testAccuracy() > 0.85, "accuracy " + r.testAccuracy() + " after 2048 images");
  }
}
