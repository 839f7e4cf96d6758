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
 * The fused PolyKerv path ({@link SecureModel.Options#fusedPolyKerv}): with EXACT truncation the
 * secure logits equal the int64 forward bit for bit, as the unfused path's do; with DEALER they
 * meet the same error bound; and each degree-2 PolyKerv costs one opening fewer online.
 */
class FusedPolyKervModelTest {
  private static final String[] MODELS = {"tiny-pkn", "lenet5-pkn"};

  private static long polyKervs(Model model) {
    return model.layers().stream().filter(l -> l instanceof PolyKerv pk && pk.dp() == 2).count();
  }

  private static long fusedRequests(SecureModel sm) {
    return sm.inferenceRequests().stream()
        .filter(r -> r instanceof CorrelationRequest.FusedPower)
        .count();
  }

  @Test
  void exactFusedLogitsEqualTheInt64ForwardAndSaveOneRoundPerPolyKerv() {
    SecureModel.Options exact = SecureModel.Options.defaults().withTruncation(TruncationMode.EXACT);
    for (String name : MODELS) {
      Model model = ZooCache.get(name);
      int batch = 4;
      double[][] xs = Zoo.sampleInputs(model, batch, 909);
      long kervs = polyKervs(model);
      assertTrue(kervs > 0, name + " has degree-2 PolyKervs");
      assertEquals(
          0, fusedRequests(SecureModel.compile(model, batch, exact)), "default is unfused");
      assertEquals(
          kervs, fusedRequests(SecureModel.compile(model, batch, exact.withFusedPolyKerv(true))));

      SecureRun.Outcome before = SecureRun.run(model, Zoo.architecture(name), xs, batch, exact);
      SecureRun.Outcome after =
          SecureRun.run(model, Zoo.architecture(name), xs, batch, exact.withFusedPolyKerv(true));
      double[][] reference = new RingForward(model, batch).forward(xs);
      for (int k = 0; k < batch; k++) {
        assertArrayEquals(reference[k], before.logits()[k], name + ": unfused input " + k);
        assertArrayEquals(
            reference[k],
            after.logits()[k],
            name + ": fused input " + k + " differs from the int64 forward");
      }
      SecureModel.Result b = before.last1();
      SecureModel.Result a = after.last1();
      long bBytes = b.onlineTraffic().bytesSent() + b.onlineTraffic().bytesReceived();
      long aBytes = a.onlineTraffic().bytesSent() + a.onlineTraffic().bytesReceived();
      System.out.printf(
          "%s exact, batch %d: online %d B / %d rounds unfused -> %d B / %d rounds fused"
              + " (%d PolyKervs)%n",
          name,
          batch,
          bBytes,
          b.onlineTraffic().rounds(),
          aBytes,
          a.onlineTraffic().rounds(),
          kervs);
      // One opening (8 B per element each way) and one round fewer per degree-2 PolyKerv.
      assertEquals(
          b.onlineTraffic().rounds() - kervs, a.onlineTraffic().rounds(), name + " rounds");
      long elements = 0;
      for (CorrelationRequest r :
          SecureModel.compile(model, batch, exact.withFusedPolyKerv(true)).inferenceRequests()) {
        if (r instanceof CorrelationRequest.FusedPower fp) {
          elements += fp.n();
        }
      }
      assertEquals(
          bBytes - 16 * elements, aBytes, name + " bytes: 16 B per PolyKerv element fewer");
      assertTrue(after.dealerQuietOnline(), "the online phase must not touch the dealer");
    }
  }

  @Test
  void dealerFusedLogitsMeetTheErrorBound() {
    SecureModel.Options fused = SecureModel.Options.defaults().withFusedPolyKerv(true);
    for (String name : MODELS) {
      Model model = ZooCache.get(name);
      double[][] xs = Zoo.sampleInputs(model, 50, 1234);
      assertTrue(fusedRequests(SecureModel.compile(model, 50, fused)) > 0, name + " fuses");
      SecureRun.Outcome o = SecureRun.run(model, Zoo.architecture(name), xs, 50, fused);
      SecureModelTest.check(name + " (fused, dealer)", model, xs, o.logits());
    }
  }
}
