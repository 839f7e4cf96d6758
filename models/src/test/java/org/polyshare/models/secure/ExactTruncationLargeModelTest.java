package org.polyshare.models.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;
import org.polyshare.models.zoo.ZooCache;

/**
 * Exactness on the large zoo models, end to end in one process: VGG-16 and ResNet-18 (PolyKerv
 * arms) queried twice on the same input in one session with {@link TruncationMode#EXACT} give
 * bit-identical logits, equal to the int64 forward with exact floor truncations ({@link
 * RingForward}). {@link ExactTruncationModelTest} covers the small models on every run and the
 * large plans by construction. Both models together take about 30 s on 2 cores (ResNet-18's keys
 * are about 0.2 GB per party per inference), so this runs in every build.
 */
class ExactTruncationLargeModelTest {
  private static final SecureOptions EXACT =
      SecureOptions.defaults().withTruncation(TruncationMode.EXACT);

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"vgg16-pkn", "resnet18-pkn"})
  void twoQueriesOfOneInputGiveBitIdenticalLogitsEqualToTheExactReference(String name) {
    Model model = ZooCache.get(name);
    double[] x = Zoo.sampleInputs(model, 1, 808)[0];
    SecureRun.Outcome o =
        SecureRun.run(model, Zoo.architecture(name), new double[][] {x, x}, 1, EXACT);
    double[] reference = new RingForward(model, 1).forward(new double[][] {x})[0];
    assertEquals(2, o.logits().length);
    for (int k = 0; k < 2; k++) {
      assertArrayEquals(
          reference, o.logits()[k], 0.0, name + ": query " + k + " differs from the int64 forward");
    }
  }
}
