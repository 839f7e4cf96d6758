package org.polyshare.models.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;

class ZooTest {

  @Test
  void architecturesHaveTheDocumentedShapes() {
    for (String n : Zoo.names()) {
      Model m = Zoo.architecture(n);
      assertEquals(10, m.outputSize(), n);
      if (n.startsWith("resnet18") || n.startsWith("vgg16")) {
        assertArrayEquals(new int[] {3, 32, 32}, m.inputShape(), n);
      } else if (n.startsWith("lenet5")) {
        assertArrayEquals(new int[] {1, 28, 28}, m.inputShape(), n);
      }
    }
    // conv/linear weight counts of ResNet-18 (CIFAR): ~11.2 M
    long p = Zoo.architecture("resnet18-pkn").parameterCount();
    assertTrue(p > 11_000_000 && p < 11_300_000, "resnet18 parameters " + p);
  }

  @Test
  void calibratedLenetKeepsActivationsBounded() {
    for (String n : new String[] {"lenet5-pkn", "lenet5-relu", "tiny-pkn"}) {
      Model m = Zoo.load(n);
      double[][] xs = Zoo.sampleInputs(m, 4, 99);
      for (double[] x : xs) {
        double[] y = PlainEvaluator.forward(m, x);
        assertEquals(10, y.length);
        for (double v : y) {
          assertTrue(Double.isFinite(v) && Math.abs(v) < 100, n + " logit " + v);
        }
      }
    }
  }
}
