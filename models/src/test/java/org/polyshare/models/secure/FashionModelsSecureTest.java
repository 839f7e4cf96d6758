package org.polyshare.models.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.polyshare.models.eval.PlainEvaluator.argmax;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.arch.InputRange;
import org.polyshare.models.calib.Headroom;
import org.polyshare.models.data.FashionMnist;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.train.TrainedModels;

/**
 * The shipped Fashion-MNIST models pass the secure path's gates (headroom guard, the published
 * input range) and a short in-process secure run on real test images gives plaintext's logits.
 */
class FashionModelsSecureTest {

  /** |secure − plaintext| per logit, at f = 16 with exact dealer truncation. */
  static final double LOGIT_TOLERANCE = 0.02;

  static java.util.List<String> models() {
    return TrainedModels.fashionNames();
  }

  @ParameterizedTest
  @MethodSource("models")
  void headroomGuardAcceptsTheModel(String name) {
    Model m = TrainedModels.load(name);
    Headroom.Report r = SecureModel.checkHeadroom(m, SecureOptions.defaults());
    System.out.print(r.format());
    assertTrue(r.tightest().headroomBits() >= Headroom.DEFAULT_MARGIN_BITS, r.format());
  }

  @ParameterizedTest
  @MethodSource("models")
  void realImagesAreInsideTheInputRangeAndSecureMatchesPlaintext(String name) throws IOException {
    Path dir = Path.of("..", "data", "fashion-mnist");
    if (!FashionMnist.present(dir)) {
      dir = FashionMnist.PACKAGE_DIR;
    }
    Assumptions.assumeTrue(
        FashionMnist.present(dir), "Fashion-MNIST not installed: skipping the secure run");
    Model m = TrainedModels.load(name);
    InputRange range = InputRange.calibrated(m);
    // normalised pixels lie in [(0 − mean)/std, (1 − mean)/std] = [−0.81, 2.02]
    assertTrue(
        range.contains((0 - FashionMnist.MEAN) / FashionMnist.STD)
            && range.contains((1 - FashionMnist.MEAN) / FashionMnist.STD),
        "published range " + range);
    // the ReLU arm's garbled circuits are ~7 KB per ReLU per party: one image is enough there
    int n = name.contains("-relu-") ? 1 : 2;
    Mnist.Split test = FashionMnist.test(dir).head(n);
    double[][] xs = new double[n][];
    for (int i = 0; i < n; i++) {
      xs[i] = test.image(i);
      range.check(xs[i], i);
    }
    Model client = Architecture.of(m).model();
    SecureRun.Outcome o = SecureRun.run(m, client, xs, n, SecureOptions.defaults());
    for (int i = 0; i < n; i++) {
      double[] plain = PlainEvaluator.forward(m, xs[i]);
      double worst = 0;
      for (int c = 0; c < plain.length; c++) {
        worst = Math.max(worst, Math.abs(plain[c] - o.logits()[i][c]));
      }
      assertTrue(worst <= LOGIT_TOLERANCE, name + " image " + i + ": max logit error " + worst);
      assertEquals(argmax(plain), argmax(o.logits()[i]), name + " image " + i);
      System.out.printf("%s image %d: max |secure − plain| logit %.3g%n", name, i, worst);
    }
  }
}
