package org.polyshare.models.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;
import org.polyshare.models.zoo.ZooCache;

/**
 * With {@link TruncationMode#EXACT} every truncation of the secure evaluator is the floor, so the
 * secure logits ARE the int64 forward's ({@link RingForward}, exact arithmetic shifts at the same
 * points): equal to the bit, and hence identical across repeated queries of one input.
 */
class ExactTruncationModelTest {
  private static final SecureOptions EXACT =
      SecureOptions.defaults().withTruncation(TruncationMode.EXACT);

  /**
   * The large zoo models do not fit an end-to-end EXACT run in the test heap (ResNet-18's keys are
   * about 0.2 GB per party per inference), so their exactness rests on the construction: in EXACT
   * mode every zoo model's plan, on both arms, has no dealer truncation left — every rescaling is
   * an exact truncation, a garbled ReLU's exact shift or an exact FSS ReLU.
   */
  @Test
  void everyZooPlanTruncatesOnlyExactly() {
    for (String name : Zoo.names()) {
      Model arch = Zoo.architecture(name);
      for (ReluMode arm : ReluMode.values()) {
        SecureModel sm = SecureModel.compile(arch, 1, EXACT.withRelu(arm));
        assertTrue(
            sm.inferenceRequests().stream()
                .noneMatch(r -> r instanceof CorrelationRequest.Truncation),
            name + " (" + arm + "): a dealer truncation is left in the EXACT plan");
        assertTrue(
            sm.inferenceRequests().stream()
                .anyMatch(
                    r ->
                        r instanceof CorrelationRequest.ExactTruncation
                            || r instanceof CorrelationRequest.FssRelu),
            name + " (" + arm + "): the plan truncates nothing");
      }
    }
  }

  @Test
  void secureLogitsEqualTheExactFloorReferenceAndRepeatBitIdentically() {
    for (String name : new String[] {"tiny-pkn", "lenet5-pkn", "tiny-relu"}) {
      Model model = ZooCache.get(name);
      int distinct = 4;
      int repeats = 6;
      double[][] samples = Zoo.sampleInputs(model, distinct, 808);
      // One session of `repeats` inferences, each a batch of the same `distinct` inputs.
      double[][] xs = new double[distinct * repeats][];
      for (int k = 0; k < xs.length; k++) {
        xs[k] = samples[k % distinct];
      }
      SecureModel sm = SecureModel.compile(model, distinct, EXACT);
      assertTrue(
          sm.inferenceRequests().stream()
              .anyMatch(r -> r instanceof CorrelationRequest.ExactTruncation),
          name + ": the plan has exact truncations");
      assertTrue(
          sm.inferenceRequests().stream()
              .noneMatch(r -> r instanceof CorrelationRequest.Truncation),
          name + ": and no dealer truncation");
      SecureRun.Outcome o = SecureRun.run(model, Zoo.architecture(name), xs, distinct, EXACT);
      double[][] reference = new RingForward(model, distinct).forward(samples);
      for (int k = 0; k < xs.length; k++) {
        assertArrayEquals(
            reference[k % distinct],
            o.logits()[k],
            name + ": query " + k + " differs from the exact-floor int64 forward");
      }
      System.out.printf(
          "%s (exact truncation): %d queries == int64 forward, bit for bit%n", name, xs.length);
    }
  }

  /** The same check fails for the dealer mode: it would catch a non-exact truncation. */
  @Test
  void dealerModeIsNotBitIdenticalAcrossQueries() {
    Model model = ZooCache.get("lenet5-pkn");
    double[][] one = Zoo.sampleInputs(model, 1, 808);
    double[][] xs = {one[0], one[0], one[0], one[0], one[0], one[0], one[0], one[0]};
    SecureRun.Outcome o =
        SecureRun.run(
            model,
            Zoo.architecture("lenet5-pkn"),
            xs,
            1,
            SecureOptions.defaults().withTruncation(TruncationMode.DEALER));
    boolean allSame = true;
    for (double[] l : o.logits()) {
      allSame &= Arrays.equals(l, o.logits()[0]);
    }
    assertFalse(allSame, "dealer truncation's dropped borrows vary the logits between queries");
  }
}
