package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.ErrorBound;
import org.polyshare.models.zoo.Zoo;

/** Party 1's demo inputs as the tests reproduce them, and the plaintext check of its logits. */
final class Demo {
  private Demo() {}

  /** The seed of party 1's demo inputs. */
  static final long SEED = 42;

  /** {@code n} demo inputs of {@code model}, clamped into its published range as party 1 does. */
  static double[][] inputs(Model model, int n) {
    return inputs(model, n, SEED);
  }

  /** {@code n} N(0, 1) inputs from {@code seed}, clamped into the published range. */
  static double[][] inputs(Model model, int n, long seed) {
    double[][] xs = Zoo.sampleInputs(model, n, seed);
    for (double[] x : xs) {
      Architecture.of(model).inputRange().clamp(x);
    }
    return xs;
  }

  /** {@code x} as an input file, one value a line, in {@code dir}. */
  static Path file(Path dir, String name, double[] x) throws IOException {
    StringBuilder b = new StringBuilder();
    for (double v : x) {
      b.append(v).append('\n');
    }
    Path p = dir.resolve(name);
    Files.writeString(p, b);
    return p;
  }

  /**
   * Party 1's logits of every inference of {@code r} are within the error bound of the plaintext
   * model on {@code xs}, and its predictions are the plaintext's.
   */
  static void assertMatchesPlaintext(Model model, PartyRunner.Report r, double[][] xs) {
    double bound = ErrorBound.logits(model, xs);
    assertEquals(xs.length, r.inferences().size(), "inferences");
    for (int k = 0; k < xs.length; k++) {
      double[] secure = r.inferences().get(k).logits();
      double[] plain = PlainEvaluator.forward(model, xs[k]);
      for (int j = 0; j < plain.length; j++) {
        assertTrue(
            Math.abs(secure[j] - plain[j]) <= bound,
            model.name()
                + " inference "
                + k
                + " logit "
                + j
                + ": "
                + secure[j]
                + " vs "
                + plain[j]
                + " (bound "
                + bound
                + ")");
      }
      assertEquals(
          PartyRunner.argmax(plain), r.inferences().get(k).prediction(), "prediction " + k);
    }
  }
}
