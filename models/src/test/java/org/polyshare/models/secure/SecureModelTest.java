package org.polyshare.models.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;
import org.polyshare.models.zoo.ZooCache;

class SecureModelTest {

  static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Checks secure logits against the double reference (bound + top-1) and the int64 forward. */
  static void check(String name, Model model, double[][] xs, double[][] secure) {
    double bound = ErrorBound.logits(model, xs);
    double[][] ring = new RingForward(model, xs.length).forward(xs);
    double u = Math.scalb(1.0, -model.fracBits());
    double worst = 0;
    double worstRing = 0;
    int top1Mismatch = 0;
    for (int i = 0; i < xs.length; i++) {
      double[] plain = PlainEvaluator.forward(model, xs[i]);
      for (int k = 0; k < plain.length; k++) {
        worst = Math.max(worst, Math.abs(secure[i][k] - plain[k]));
        worstRing = Math.max(worstRing, Math.abs(secure[i][k] - ring[i][k]));
      }
      if (argmax(plain) != argmax(secure[i])) {
        top1Mismatch++;
      }
    }
    System.out.printf("%s: %d inputs, max |secure - double| = %.3g (bound %.3g), max |secure -"
        + " int64| = %.1f ulp%n", name, xs.length, worst, bound, worstRing / u);
    assertTrue(worst <= bound, name + ": error " + worst + " exceeds the bound " + bound);
    assertEquals(0, top1Mismatch, name + ": top-1 differs on " + top1Mismatch + " inputs");
  }

  @Test
  void smallNetsMatchPlaintextOnAHundredInputs() {
    // GC ReLU material is ~6 KB per ReLU, so the ReLU nets run 100 inputs as 10 inferences of 10
    for (String name : new String[] {"tiny-pkn", "lenet5-pkn", "tiny-relu", "lenet5-relu"}) {
      Model model = ZooCache.get(name);
      double[][] xs = Zoo.sampleInputs(model, 100, 1234);
      int batch = name.equals("lenet5-relu") ? 10 : 100;
      SecureRun.Outcome o = SecureRun.run(model, Zoo.architecture(name), xs, batch,
          SecureModel.Options.defaults());
      for (SecureModel.Result r : o.party0()) {
        assertNull(r.logits(), "party 0 learns nothing");
      }
      check(name, model, xs, o.logits());
      assertTrue(o.dealerQuietOnline(), "the online phase must not touch the dealer");
      long rounds = 0;
      for (SecureModel.LayerReport r : o.last1().layers()) {
        rounds += r.onlineRounds();
      }
      assertTrue(rounds > 0 && o.last1().onlineNanos() > 0, "per-layer report is filled in");
    }
  }

  @Test
  void resnet18AndVgg16PknMatchPlaintextOnFiveInputsInOneBatch() {
    for (String name : new String[] {"resnet18-pkn", "vgg16-pkn"}) {
      Model model = ZooCache.get(name);
      double[][] xs = Zoo.sampleInputs(model, 5, 4321);
      SecureRun.Outcome o = SecureRun.run(model, Zoo.architecture(name), xs, 5,
          SecureModel.Options.defaults());
      check(name, model, xs, o.logits());
      assertTrue(o.dealerQuietOnline());
      SecureModel.Result r = o.last1();
      System.out.printf("%s batch 5: offline %.2f s, online %.2f s, online traffic %d B%n", name,
          r.offlineNanos() / 1e9, r.onlineNanos() / 1e9,
          r.onlineTraffic().bytesSent() + r.onlineTraffic().bytesReceived());
    }
  }

  @Test
  void planComesFromTheArchitectureAlone() {
    for (String name : new String[] {"lenet5-pkn", "lenet5-relu", "resnet18-pkn"}) {
      SecureModel withWeights = SecureModel.compile(ZooCache.get(name), 5);
      SecureModel shapesOnly = SecureModel.compile(Zoo.architecture(name), 5);
      assertEquals(withWeights.plan(3).sha256Hex(), shapesOnly.plan(3).sha256Hex(), name);
      assertEquals(shapesOnly.sessionRequests().size() + 3 * shapesOnly.inferenceRequests().size(),
          shapesOnly.plan(3).size());
    }
  }

  /** Every layer kind and lowering: fused and standalone ReLU, unfolded BN, dp = 3, cp per channel. */
  @Test
  void everyLayerKindRunsSecurely() {
    Model.Builder b = Model.builder("all-kinds", 2, 8, 8);
    b.conv("c1", 4, 3, 1, 1).batchNorm("bn1").relu("r1");
    b.add(new org.polyshare.models.graph.PolyKerv("pk", "r1",
        new org.polyshare.models.graph.Conv2d("pk", "r1", 4, 4, 3, 3, 1, 1, new double[144], null),
        new double[] {0.5, 1.0, -0.5, 0.25}, 3));
    b.batchNorm("bn2");
    b.add("sum", "bn2", "r1").relu("r2").avgPool("pool", 2, 2).globalAvgPool("gap")
        .flatten("flat").linear("fc", 10);
    Model arch = b.build();
    Model m = org.polyshare.models.calib.Calibrator.calibrate(Zoo.randomize(arch, 5),
        Zoo.sampleInputs(arch, 32, 6));
    assertEquals(10, m.foldBatchNorm().layers().size(), "bn1 folds, bn2 (after PolyKerv) stays");
    double[][] xs = Zoo.sampleInputs(m, 20, 77);
    SecureRun.Outcome o = SecureRun.run(m, arch, xs, 20, SecureModel.Options.defaults());
    check("all-kinds", m, xs, o.logits());
  }

  @Test
  void maxPoolIsRefusedByTheSecureEvaluator() {
    Model m = Model.builder("mp", 1, 4, 4).maxPool("mp", 2, 2).flatten("f").linear("fc", 2).build();
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> SecureModel.compile(m, 1));
    assertTrue(e.getMessage().contains("'mp'") && e.getMessage().contains("MaxPool"),
        e.getMessage());
  }

  @Test
  void localTruncationModeRunsWithItsOwnPlan() {
    Model model = ZooCache.get("tiny-pkn");
    SecureModel.Options local = SecureModel.Options.defaults()
        .withTruncation(org.polyshare.core.protocol.TruncationMode.LOCAL);
    SecureModel sm = SecureModel.compile(model, 100, local);
    assertTrue(sm.inferenceRequests().stream()
        .noneMatch(r -> r instanceof org.polyshare.core.correlation.CorrelationRequest.Truncation));
    double[][] xs = Zoo.sampleInputs(model, 100, 55);
    SecureRun.Outcome o = SecureRun.run(model, Zoo.architecture("tiny-pkn"), xs, 100, local);
    check("tiny-pkn (local truncation)", model, xs, o.logits());
  }
}
