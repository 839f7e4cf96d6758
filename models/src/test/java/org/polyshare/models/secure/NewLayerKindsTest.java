package org.polyshare.models.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.AvgPool;
import org.polyshare.models.graph.Flatten;
import org.polyshare.models.graph.MaxPool;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyAct;
import org.polyshare.models.graph.PoolWindow;
import org.polyshare.models.graph.Softmax;
import org.polyshare.models.zoo.Zoo;

/**
 * The layer kinds the ONNX importer produces beyond the zoo's: PolyAct (per-tensor and per-channel,
 * both forms), padded / ceil-mode / dilated pools, and a final softmax. Each is run securely and
 * compared with the int64 reference ({@link RingForward}) and the double reference ({@link
 * PlainEvaluator}).
 */
class NewLayerKindsTest {
  private static final double U = Math.scalb(1.0, -16);

  /**
   * conv → PolyAct (general form, per channel) → padded avg-pool → ceil max-pool → fc → (x+c)^2 →
   * fc → softmax.
   */
  static Model mixed(boolean log) {
    Model.Builder b = Model.builder("new-kinds", 2, 9, 9);
    b.conv("c1", 4, 3, 1, 1);
    b.add(
        new PolyAct(
            "pa",
            "c1",
            new double[] {0.5, 0.25, 0.5, 0.75},
            new double[] {0.5, -0.25, 0.1, 0},
            3,
            new double[] {0.5}));
    b.add(new AvgPool("ap", "pa", new PoolWindow(3, 2, 1, new int[] {1, 1, 1, 1}, false), false));
    b.add(new MaxPool("mp", "ap", new PoolWindow(2, 2, 1, PoolWindow.NO_PADS, true), false));
    b.flatten("flat").linear("fc1", 6);
    b.add(PolyAct.shifted("sq", "fc1", new double[] {0.5, -0.5, 0.25, 0, 1, -1}, 2));
    b.linear("fc2", 5);
    b.add(new Softmax("out", "fc2", log));
    return Zoo.randomize(b.build(), 11);
  }

  @Test
  void mixedNetMatchesBothReferences() {
    for (boolean log : new boolean[] {false, true}) {
      Model m = mixed(log);
      double[][] xs = Zoo.sampleInputs(m, 6, 3);
      SecureRun.Outcome o = SecureRun.run(m, m, xs, 6, SecureOptions.defaults());
      SecureModelTest.check(m.name() + (log ? " log-softmax" : " softmax"), m, xs, o.logits());
      assertTrue(o.dealerQuietOnline());
      double[][] ring = new RingForward(m, xs.length).forward(xs);
      double bound = ErrorBound.logits(m, xs);
      for (int i = 0; i < xs.length; i++) {
        double[] plain = PlainEvaluator.forward(m, xs[i]);
        double sum = 0;
        for (int k = 0; k < plain.length; k++) {
          assertEquals(plain[k], ring[i][k], bound, "int64 reference vs double, input " + i);
          sum += log ? Math.exp(o.logits()[i][k]) : o.logits()[i][k];
        }
        assertEquals(1, sum, 1e-9, "party 1 receives a (log-)probability vector");
      }
    }
  }

  /** One max-pool straight on a {@code [c, h, w]} input, flattened. */
  private static Model maxPoolOnInput(
      String name, int c, int h, int w, PoolWindow window, boolean zeroPads) {
    return Model.builder(name, c, h, w)
        .add(new MaxPool("mp", Model.INPUT, window, zeroPads))
        .add(new Flatten("flat", "mp"))
        .build();
  }

  /** The garbled max is exact: with the input shared exactly, secure == int64 bit for bit. */
  @Test
  void paddedDilatedCeilMaxPoolIsBitExact() {
    Model minusInf =
        maxPoolOnInput(
            "max-dilated-ceil",
            2,
            7,
            7,
            new PoolWindow(3, 2, 2, new int[] {1, 1, 1, 1}, true),
            false);
    Model zeroPads =
        maxPoolOnInput(
            "max-zero-pads", 3, 5, 6, new PoolWindow(2, 1, 1, new int[] {0, 1, 1, 0}, false), true);
    for (Model net : new Model[] {minusInf, zeroPads}) {
      double[][] xs = Zoo.sampleInputs(net, 4, 9);
      SecureRun.Outcome o = SecureRun.run(net, net, xs, 4, SecureOptions.defaults());
      double[][] ring = new RingForward(net, 4).forward(xs);
      for (int i = 0; i < xs.length; i++) {
        assertArrayEquals(ring[i], o.logits()[i], 0.0, net.name() + " input " + i);
        double[] plain = PlainEvaluator.forward(net, xs[i]);
        for (int k = 0; k < plain.length; k++) {
          assertEquals(plain[k], ring[i][k], U, "int64 max-pool vs double (input rounding)");
        }
      }
    }
  }

  /** Per-position public divisors: one truncation, so secure is within one ulp of int64. */
  @Test
  void averagePoolsWithPerPositionDivisorsAreWithinOneUlp() {
    PoolWindow[] windows = {
      new PoolWindow(3, 2, 1, new int[] {1, 1, 1, 1}, false),
      new PoolWindow(2, 2, 1, PoolWindow.NO_PADS, true),
      new PoolWindow(3, 3, 1, new int[] {0, 1, 2, 0}, true)
    };
    for (PoolWindow w : windows) {
      for (boolean include : new boolean[] {true, false}) {
        Model m =
            Model.builder("avg " + w + (include ? " incl" : " excl"), 2, 7, 8)
                .add(new AvgPool("ap", Model.INPUT, w, include))
                .add(new Flatten("flat", "ap"))
                .build();
        double[][] xs = Zoo.sampleInputs(m, 3, 5);
        SecureRun.Outcome o = SecureRun.run(m, m, xs, 3, SecureOptions.defaults());
        double[][] ring = new RingForward(m, 3).forward(xs);
        for (int i = 0; i < xs.length; i++) {
          double[] plain = PlainEvaluator.forward(m, xs[i]);
          for (int k = 0; k < plain.length; k++) {
            assertEquals(ring[i][k], o.logits()[i][k], 1.01 * U, m.name() + ": secure vs int64");
            assertEquals(plain[k], ring[i][k], 2 * U, m.name() + ": int64 vs double");
          }
        }
      }
    }
  }

  @Test
  void polyActFormDecidesItsRequests() {
    Model shiftOnly =
        Model.builder("pa", 3)
            .add(PolyAct.shifted("p", Model.INPUT, new double[] {0.5}, 2))
            .build();
    SecureModel sm = SecureModel.compile(shiftOnly, 2);
    assertEquals(
        java.util.List.of(
            new CorrelationRequest.Squares(6), new CorrelationRequest.Truncation(6, 16)),
        sm.inferenceRequests(),
        "x + c needs no product");
    Model general =
        Model.builder("pa", 3)
            .add(
                new PolyAct(
                    "p",
                    Model.INPUT,
                    new double[] {2},
                    new double[] {0.5},
                    1,
                    new double[] {0.25, 1, 3}))
            .build();
    assertEquals(
        java.util.List.of(
            new CorrelationRequest.Triples(6),
            new CorrelationRequest.Truncation(6, 16),
            new CorrelationRequest.Triples(6),
            new CorrelationRequest.Truncation(6, 16)),
        SecureModel.compile(general, 2).inferenceRequests());
    double[][] xs = Zoo.sampleInputs(general, 2, 1);
    SecureRun.Outcome o = SecureRun.run(general, general, xs, 2, SecureOptions.defaults());
    double[][] ring = new RingForward(general, 2).forward(xs);
    for (int i = 0; i < 2; i++) {
      double[] plain = PlainEvaluator.forward(general, xs[i]);
      for (int k = 0; k < 3; k++) {
        assertEquals(
            plain[k], o.logits()[i][k], ErrorBound.logits(general, xs), "secure vs double");
        assertEquals(
            ring[i][k], o.logits()[i][k], 4 * U, "secure vs int64: two one-ulp truncations");
      }
    }
  }

  @Test
  void softmaxMustBeLastAndOversizedMaxWindowsAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SecureModel.compile(
                    Model.builder("mid", 4)
                        .add(new Softmax("s", Model.INPUT, false))
                        .linear("fc", 2)
                        .build(),
                    1));
    assertTrue(e.getMessage().contains("'s'"), e.getMessage());
    Model big =
        Model.builder("big", 1, 40, 40)
            .add(new MaxPool("mp", Model.INPUT, PoolWindow.of(33, 1), false))
            .flatten("f")
            .build();
    e = assertThrows(IllegalArgumentException.class, () -> SecureModel.compile(big, 1));
    assertTrue(e.getMessage().contains("'mp'") && e.getMessage().contains("1024"), e.getMessage());
  }
}
