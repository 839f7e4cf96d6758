package org.polyshare.models.secure;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.polyshare.models.calib.Headroom;
import org.polyshare.models.calib.HeadroomException;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;

/** Sisyphus: a deep PKN without BatchNorm lets activations escape; the guard makes it loud. */
class HeadroomGuardTest {

  /** Six PolyKervs (dp = 2) back to back, no BatchNorm, He-initialised, not calibrated. */
  static Model escaping() {
    Model.Builder b = Model.builder("escaping-pkn", 1, 8, 8);
    for (int i = 1; i <= 6; i++) {
      b.polyKerv("pk" + i, 4, 3, 1, 1, 1.0, 2);
    }
    b.globalAvgPool("gap").flatten("flat").linear("fc", 10);
    return Zoo.randomize(b.build(), 11);
  }

  @Test
  void escapingModelIsRefusedNamingTheLayerAndTheNumbers() {
    Model m = escaping();
    Headroom.Report report = Headroom.measure(m, Zoo.sampleInputs(m, 4, 5));
    Headroom.LayerHeadroom worst = report.tightest();
    assertTrue(worst.headroomBits() < Headroom.DEFAULT_MARGIN_BITS, report.format());

    double[][] xs = Zoo.sampleInputs(m, 2, 99);
    HeadroomException e =
        assertThrows(
            HeadroomException.class, () -> SecureRun.run(m, m, xs, 2, SecureOptions.defaults()));
    String msg = e.getMessage();
    assertTrue(
        msg.contains("'" + e.layer().layer() + "'")
            && msg.contains("headroom")
            && msg.contains("margin is " + Headroom.DEFAULT_MARGIN_BITS),
        msg);
    assertTrue(e.layer().layer().startsWith("pk"), "the refusal names a PolyKerv: " + msg);
  }

  @Test
  void withoutTheGuardTheSameModelGivesGarbage() {
    Model m = escaping();
    double[][] xs = Zoo.sampleInputs(m, 2, 99);
    SecureRun.Outcome o = SecureRun.run(m, m, xs, 2, SecureOptions.defaults().withGuard(false));
    double worstRelative = 0;
    for (int i = 0; i < xs.length; i++) {
      double[] plain = PlainEvaluator.forward(m, xs[i]);
      double scale = 0;
      for (double v : plain) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertTrue(Double.isFinite(scale), "plaintext double is still finite");
      for (int k = 0; k < plain.length; k++) {
        worstRelative = Math.max(worstRelative, Math.abs(o.logits()[i][k] - plain[k]) / scale);
      }
    }
    System.out.printf(
        "escaping-pkn without the guard: worst |secure - plain| / max|plain| = %.3g%n",
        worstRelative);
    assertTrue(
        worstRelative > 0.5,
        "the overflowed secure result is garbage, as expected: " + worstRelative);
  }

  @Test
  void calibratedZooModelsPassTheGuard() {
    for (String n : new String[] {"tiny-pkn", "lenet5-pkn", "lenet5-relu"}) {
      Model m = org.polyshare.models.zoo.ZooCache.get(n);
      Headroom.Report r = SecureModel.checkHeadroom(m, SecureOptions.defaults());
      assertTrue(r.tightest().headroomBits() >= Headroom.DEFAULT_MARGIN_BITS, r.format());
    }
  }
}
