package org.polyshare.models.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.zoo.Zoo;
import org.polyshare.models.zoo.ZooCache;

/**
 * The fused PolyKerv path ({@link SecureOptions#fusedPolyKerv}, the default): with EXACT truncation
 * the secure logits equal the int64 forward of the same lowering bit for bit, as the unfused path's
 * do; with DEALER they meet the same error bound; and each PolyKerv costs the openings its {@link
 * CarryPlan} says (one when carried), 16 B per element and one round per opening saved.
 */
class FusedPolyKervModelTest {
  private static final String[] MODELS = {"tiny-pkn", "lenet5-pkn"};

  private static long polyKervs(Model model) {
    return model.layers().stream().filter(l -> l instanceof PolyKerv).count();
  }

  private static long fusedRequests(SecureModel sm) {
    return sm.inferenceRequests().stream()
        .filter(r -> r instanceof CorrelationRequest.FusedPower)
        .count();
  }

  @Test
  void exactFusedLogitsEqualTheInt64ForwardAndSaveTheOpeningsThePlanSays() {
    SecureOptions fused = SecureOptions.defaults().withTruncation(TruncationMode.EXACT);
    SecureOptions chain = fused.withFusedPolyKerv(false);
    for (String name : MODELS) {
      Model model = ZooCache.get(name);
      int batch = 4;
      double[][] xs = Zoo.sampleInputs(model, batch, 909);
      long kervs = polyKervs(model);
      assertTrue(kervs > 0, name + " has PolyKervs");
      assertEquals(0, fusedRequests(SecureModel.compile(model, batch, chain)), "off: the chain");
      SecureModel sm = SecureModel.compile(model, batch, fused);
      assertEquals(kervs, fusedRequests(sm), "the default fuses every PolyKerv of " + name);

      SecureRun.Outcome before = SecureRun.run(model, Zoo.architecture(name), xs, batch, chain);
      SecureRun.Outcome after = SecureRun.run(model, Zoo.architecture(name), xs, batch, fused);
      double[][] chainRef = new RingForward(model, batch, chain).forward(xs);
      double[][] fusedRef = new RingForward(model, batch, fused).forward(xs);
      for (int k = 0; k < batch; k++) {
        assertArrayEquals(chainRef[k], before.logits()[k], name + ": unfused input " + k);
        assertArrayEquals(
            fusedRef[k],
            after.logits()[k],
            name + ": fused input " + k + " differs from the int64 forward");
      }
      SecureResult b = before.last1();
      SecureResult a = after.last1();
      long bBytes = b.onlineTraffic().bytesSent() + b.onlineTraffic().bytesReceived();
      long aBytes = a.onlineTraffic().bytesSent() + a.onlineTraffic().bytesReceived();
      System.out.printf(
          "%s exact, batch %d: online %d B / %d rounds unfused -> %d B / %d rounds fused%n%s",
          name,
          batch,
          bBytes,
          b.onlineTraffic().rounds(),
          aBytes,
          a.onlineTraffic().rounds(),
          sm.carryPlan().format());
      long savedOpenings = 0;
      long savedElements = 0;
      CarryPlan unfused = SecureModel.compile(model, batch, chain).carryPlan();
      for (CarryPlan.Kerv k : sm.carryPlan().kervs()) {
        int saved = unfused.kerv(k.layer()).openings() - k.openings();
        assertTrue(saved > 0, k + " saves an opening");
        savedOpenings += saved;
        savedElements +=
            (long) saved
                * batch
                * model.shape(k.layer())[0]
                * model.shape(k.layer())[1]
                * model.shape(k.layer())[2];
      }
      assertEquals(
          b.onlineTraffic().rounds() - savedOpenings,
          a.onlineTraffic().rounds(),
          name + " rounds: one per opening saved");
      assertEquals(bBytes - 16 * savedElements, aBytes, name + " bytes: 16 B per element saved");
      assertTrue(after.dealerQuietOnline(), "the online phase must not touch the dealer");
    }
  }

  @Test
  void dealerFusedLogitsMeetTheErrorBound() {
    SecureOptions fused = SecureOptions.defaults();
    for (String name : MODELS) {
      Model model = ZooCache.get(name);
      double[][] xs = Zoo.sampleInputs(model, 50, 1234);
      assertTrue(fusedRequests(SecureModel.compile(model, 50, fused)) > 0, name + " fuses");
      SecureRun.Outcome o = SecureRun.run(model, Zoo.architecture(name), xs, 50, fused);
      SecureModelTest.check(name + " (fused, dealer)", model, xs, o.logits());
    }
  }
}
