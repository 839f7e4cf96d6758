package org.polyshare.models.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.calib.Calibrator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;

/**
 * The folded residual Add ({@link CarryPlan.AddFold}) on a two-block net with random weights: an
 * identity block whose skip is a carried power (shifted up to the main branch's raw product) and a
 * downsample block whose 1x1 shortcut stays raw. EXACT: the secure logits equal the int64 forward
 * of the same lowering bit for bit; DEALER: within {@link ErrorBound}; and the fold saves the
 * openings it says.
 */
class ResidualFoldTest {
  static Model arch() {
    Model.Builder b = Model.builder("two-blocks", 2, 8, 8);
    b.polyKerv("stem", 4, 3, 1, 1, 0.5, 2);
    b.polyKerv("b_conv1", "stem", 4, 3, 1, 1, 0.25, 2).conv("b_conv2", 4, 3, 1, 1);
    b.add("b_add", "b_conv2", "stem");
    b.polyKerv("d_conv1", "b_add", 8, 3, 2, 1, 0.25, 2).conv("d_conv2", 8, 3, 1, 1);
    b.conv("d_down", "b_add", 8, 1, 2, 0);
    b.add("d_add", "d_conv2", "d_down").globalAvgPool("gap").flatten("flat").linear("fc", 5);
    return b.build();
  }

  static Model weighted(Model arch) {
    return Calibrator.calibrate(Zoo.randomize(arch, 11), Zoo.sampleInputs(arch, 32, 12));
  }

  @Test
  void bothFoldsAreExactInTheRingAndWithinTheBoundWithTheDealer() {
    Model arch = arch();
    Model model = weighted(arch);
    SecureOptions exact = SecureOptions.defaults().withTruncation(TruncationMode.EXACT);
    CarryPlan plan = CarryPlan.of(arch, exact);
    assertEquals(CarryPlan.Form.CARRIED, plan.kerv("stem").form());
    assertEquals(32, plan.add("b_add").shift());
    assertEquals(16, plan.add("b_add").rightUp(), "the stem's power shifts up 16");
    assertEquals(32, plan.add("d_add").shift());
    assertEquals(16, plan.add("d_add").rightUp(), "the shortcut's product shifts up 16");

    int batch = 3;
    double[][] xs = Zoo.sampleInputs(model, batch, 13);
    SecureRun.Outcome o = SecureRun.run(model, arch, xs, batch, exact);
    double[][] ref = new RingForward(model, batch, exact).forward(xs);
    for (int k = 0; k < batch; k++) {
      assertArrayEquals(ref[k], o.logits()[k], 0.0, "input " + k + " differs from the int64 run");
    }

    double[][] many = Zoo.sampleInputs(model, 40, 14);
    SecureRun.Outcome d = SecureRun.run(model, arch, many, 40, SecureOptions.defaults());
    SecureModelTest.check("two-blocks (folded Adds, dealer)", model, many, d.logits());
  }

  @Test
  void onlineBytesAreTheMaskedInputsAndOneOpeningPerFoldedAdd() {
    Model arch = arch();
    Model model = weighted(arch);
    double[][] xs = Zoo.sampleInputs(model, 1, 15);
    SecureOptions on = SecureOptions.defaults();
    SecureResult folded = SecureRun.run(model, arch, xs, 1, on).last1();
    long bytes = folded.onlineTraffic().bytesSent() + folded.onlineTraffic().bytesReceived();
    assertEquals(
        expectedBytes(),
        bytes,
        "masked inputs 8 B per element, each opening 16 B (8 B with an early half) per element");
  }

  /**
   * Party 1's online bytes: input seed, then per layer its masked input (8 B/element in) and each
   * opening 16 B/element, or 8 B (party 0's half only) when it reads owner-held products only and
   * party 1's half went offline ({@link CarryPlan.EarlyHalf}); the folds leave the stem one
   * opening, b_conv2 and d_conv2 none of their own, d_down none, and each Add one: b_add's reads
   * the stem's power (both halves online), d_add's two raw products (early).
   */
  private static long expectedBytes() {
    long stem = 8 * 128 + 8 * 256;
    long bConv1 = 8 * 256 + 8 * 256;
    long bConv2 = 8 * 256;
    long bAdd = 16 * 256;
    long dConv1 = 8 * 256 + 8 * 128;
    long dConv2 = 8 * 128;
    long dDown = 8 * 256;
    long dAdd = 8 * 128;
    long gap = 16 * 8; // a 4x4 mean: one truncation by 4
    long fc = 8 * 8 + 8 * 5;
    return 16 + stem + bConv1 + bConv2 + bAdd + dConv1 + dConv2 + dDown + dAdd + gap + fc + 8 * 5;
  }
}
