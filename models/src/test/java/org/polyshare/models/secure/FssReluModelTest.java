package org.polyshare.models.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.calib.Headroom;
import org.polyshare.models.calib.HeadroomException;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.Relu;
import org.polyshare.models.zoo.Zoo;
import org.polyshare.models.zoo.ZooCache;

/**
 * The FSS ReLU arm ({@link ReluMode#FSS}) inside whole models. FSS ReLU is exact (ReLU, then the
 * exact truncation), so with every other truncation exact too ({@link TruncationMode#EXACT}) the
 * secure logits are the int64 forward's bit for bit; with dealer truncation elsewhere (the default)
 * they differ from it only by that truncation's one-ulp borrows, carried through the later layers
 * (stated bound: 2^10 ulp per logit).
 */
class FssReluModelTest {
  private static final SecureOptions FSS = SecureOptions.defaults().withRelu(ReluMode.FSS);
  private static final SecureOptions FSS_EXACT = FSS.withTruncation(TruncationMode.EXACT);

  @Test
  void exactArmEqualsTheInt64ForwardBitForBit() {
    for (String name : new String[] {"tiny-relu", "lenet5-relu"}) {
      Model model = ZooCache.get(name);
      int batch = 2;
      double[][] xs = Zoo.sampleInputs(model, 2 * batch, 4242);
      SecureRun.Outcome o = SecureRun.run(model, Zoo.architecture(name), xs, batch, FSS_EXACT);
      double[][] reference = new RingForward(model, xs.length).forward(xs);
      for (int k = 0; k < xs.length; k++) {
        assertArrayEquals(
            reference[k],
            o.logits()[k],
            name + ": sample " + k + " differs from the int64 forward");
      }
      assertTrue(o.dealerQuietOnline(), name + ": the dealer is not contacted online");
    }
  }

  /**
   * VGG-16 (CIFAR, 276,480 ReLUs, 13 key batches) in the exact FSS arm: one inference, bit-exact.
   * In process both parties' keys of the inference are held at once (≈ 2 × 0.57 GB).
   */
  @Test
  void vgg16ReluExactArmEqualsTheInt64Forward() {
    oneExactInference("vgg16-relu", 31);
  }

  /**
   * ResNet-18 (CIFAR, 17 ReLU layers: 9 fused at k = 46, 8 after a residual Add at k = 30) in the
   * exact FSS arm: one whole inference, bit-exact against the int64 forward, the residual sums'
   * narrower keys included. In process both parties' keys are held at once (≈ 2 × 0.4 GB).
   */
  @Test
  void resnet18ReluExactArmEqualsTheInt64Forward() {
    SecureRun.Outcome o = oneExactInference("resnet18-relu", 18);
    assertTrue(o.dealerQuietOnline(), "resnet18-relu: the dealer is not contacted online");
  }

  /**
   * One inference of zoo model {@code name} on the sample input drawn with {@code seed}, in the
   * exact FSS arm; fails unless its logits are the int64 forward's bit for bit.
   */
  private static SecureRun.Outcome oneExactInference(String name, long seed) {
    Model model = ZooCache.get(name);
    double[][] xs = Zoo.sampleInputs(model, 1, seed);
    SecureRun.Outcome o = SecureRun.run(model, Zoo.architecture(name), xs, 1, FSS_EXACT);
    assertArrayEquals(new RingForward(model, 1).forward(xs)[0], o.logits()[0], name);
    return o;
  }

  @Test
  void dealerTruncationArmIsWithinTheTruncationUlpsOfTheInt64Forward() {
    Model model = ZooCache.get("lenet5-relu");
    double[][] xs = Zoo.sampleInputs(model, 2, 99);
    SecureRun.Outcome fss = SecureRun.run(model, Zoo.architecture("lenet5-relu"), xs, 1, FSS);
    double[][] reference = new RingForward(model, xs.length).forward(xs);
    double ulp = Math.scalb(1.0, -model.fracBits());
    double worst = 0;
    for (int k = 0; k < xs.length; k++) {
      for (int j = 0; j < reference[k].length; j++) {
        // the dealer truncations of the non-ReLU layers (a 1-ulp borrow each) propagate through the
        // remaining weights; 2^10 ulp is far below any decision and far above what they add here
        assertEquals(
            reference[k][j],
            fss.logits()[k][j],
            1024 * ulp,
            "lenet5-relu sample " + k + " logit " + j);
        worst = Math.max(worst, Math.abs(reference[k][j] - fss.logits()[k][j]) / ulp);
      }
    }
    System.out.printf(
        "lenet5-relu, FSS ReLU + dealer truncation: max |secure - int64| = %.0f ulp%n", worst);
  }

  @Test
  void plansDifferBetweenArmsAndCountOneKeyBatchPerReluLayer() {
    for (String name : new String[] {"lenet5-relu", "vgg16-relu", "resnet18-relu"}) {
      Model arch = Zoo.architecture(name);
      SecureModel gc = SecureModel.compile(arch, 1);
      SecureModel fss = SecureModel.compile(arch, 1, FSS);
      assertFalse(
          Arrays.equals(gc.plan(1).sha256(), fss.plan(1).sha256()), name + ": plan hashes equal");
      long keys = 0;
      int keyBatches = 0;
      List<Integer> widths = new ArrayList<>();
      for (CorrelationRequest r : fss.inferenceRequests()) {
        if (r instanceof CorrelationRequest.FssRelu k) {
          widths.add(k.bits());
          keys += k.n();
          keyBatches++;
        }
      }
      List<Integer> planned = new ArrayList<>();
      for (FssReluWidth.Site s : FssReluWidth.sites(arch)) {
        planned.add(s.bits());
      }
      assertEquals(planned, widths, name + ": each key batch at its site's width");
      int reluLayers = 0;
      for (Layer l : arch.layers()) {
        if (l instanceof Relu) {
          reluLayers++;
        }
      }
      assertEquals(reluLayers, keyBatches, name + ": one key batch per ReLU layer");
      assertEquals(gc.reluCount(), keys, name + ": one key pair per ReLU");
      assertEquals(gc.reluCount(), fss.reluCount());
      // max-pool goes through FSS too (the zoo has none): no garbling OT is left in the FSS plan
      assertEquals(0, ots(fss.inferenceRequests()), name + ": no garbled circuit in the FSS arm");
      System.out.printf(
          "%s: %d ReLUs in %d FSS key batches, k per batch %s%n", name, keys, keyBatches, widths);
    }
  }

  @Test
  void onlineTrafficOfLenet5ReluUnderBothArms() {
    Model model = ZooCache.get("lenet5-relu");
    double[][] xs = Zoo.sampleInputs(model, 1, 5);
    List<String> rows = new ArrayList<>();
    long[] rounds = new long[2];
    int i = 0;
    for (SecureOptions o : new SecureOptions[] {SecureOptions.defaults(), FSS}) {
      SecureResult r = SecureRun.run(model, Zoo.architecture("lenet5-relu"), xs, 1, o).last1();
      rounds[i++] = r.onlineTraffic().rounds();
      rows.add(
          String.format(
              "%s: online %d B sent + %d B received by party 1, %d rounds; offline %d B + %d B",
              o.relu(),
              r.onlineTraffic().bytesSent(),
              r.onlineTraffic().bytesReceived(),
              r.onlineTraffic().rounds(),
              r.offlineTraffic().bytesSent(),
              r.offlineTraffic().bytesReceived()));
    }
    rows.forEach(System.out::println);
    assertTrue(rounds[1] > 0 && rounds[0] > 0);
  }

  /**
   * The width k of each ReLU comes from its input's scale: 2f + 6 + 8 = 46 for a ReLU fused into
   * its product, f + 6 + 8 = 30 for a ReLU after a residual Add, 62 (no narrower bound) where the
   * budget reaches it; the plan hash binds it.
   */
  @Test
  void widthComesFromTheInputScaleAndIsBoundIntoThePlan() {
    Model resnet = Zoo.architecture("resnet18-relu");
    int f = resnet.fracBits();
    int plain = 0;
    int fused = 0;
    for (FssReluWidth.Site s : FssReluWidth.sites(resnet)) {
      boolean afterAdd = resnet.layer(s.input()) instanceof org.polyshare.models.graph.Add;
      assertEquals(afterAdd ? f : 2 * f, s.scale(), s.layer());
      assertEquals(afterAdd ? 30 : 46, s.bits(), s.layer());
      plain += afterAdd ? 1 : 0;
      fused += afterAdd ? 0 : 1;
    }
    assertEquals(8, plain, "resnet18-relu: a ReLU after each block's Add");
    assertEquals(9, fused, "resnet18-relu: the stem's and each block's first ReLU, fused");
    for (FssReluWidth.Site s : FssReluWidth.sites(Zoo.architecture("lenet5-relu"))) {
      assertEquals(46, s.bits(), "lenet5-relu: every ReLU is fused, " + s.layer());
    }
    assertEquals(62, FssReluWidth.of(48), "f = 24 fused: the budget reaches 62");
    assertEquals(62, FssReluWidth.of(60), "capped at the widest");
    assertFalse(
        Arrays.equals(
            CorrelationPlan.of(new CorrelationRequest.FssRelu(10, 46, 16)).sha256(),
            CorrelationPlan.of(new CorrelationRequest.FssRelu(10, 62, 16)).sha256()),
        "the width is in the plan hash");
  }

  /**
   * A ReLU after a sum (scale f, k = 30) is held to 2^30 with the guard's margin: values up to 2^6
   * pass, 2^6.5 is refused naming the layer and the bound; far inside the ring's 2^63 either way.
   */
  @Test
  void reluInputBeyondItsWidthIsRefused() {
    Model model = Zoo.architecture("resnet18-relu");
    Relu afterAdd = null;
    for (Layer l : model.layers()) {
      if (l instanceof Relu r && model.layer(r.input()) instanceof org.polyshare.models.graph.Add) {
        afterAdd = r;
        break;
      }
    }
    assertTrue(afterAdd != null, "resnet18-relu has a ReLU after a residual Add");
    int margin = Headroom.DEFAULT_MARGIN_BITS;
    double max = Math.scalb(1.0, FssReluWidth.ACTIVATION_BITS) * Math.sqrt(2);
    Headroom.Report report = report(model, afterAdd.input(), max);
    HeadroomException e =
        assertThrows(HeadroomException.class, () -> FssReluWidth.check(model, report, margin));
    assertTrue(
        e.getMessage().contains(afterAdd.input()) && e.getMessage().contains("below 2^30"),
        e.getMessage());
    FssReluWidth.check(model, report(model, afterAdd.input(), max / 2), margin);
  }

  /** Rows for every ReLU input: {@code tight} with max {@code max}, the others at 1. */
  private static Headroom.Report report(Model model, String tight, double max) {
    int f = model.fracBits();
    List<Headroom.LayerHeadroom> rows = new ArrayList<>();
    for (Layer l : model.layers()) {
      if (l instanceof Relu r) {
        rows.add(
            r.input().equals(tight)
                ? new Headroom.LayerHeadroom(tight, "Add", max, f, 63, 63 - f - 6.5)
                : new Headroom.LayerHeadroom(r.input(), "Conv2d", 1.0, 2 * f, 62, 62 - 2 * f));
      }
    }
    return new Headroom.Report(model.name(), f, 1, rows);
  }

  private static long ots(List<CorrelationRequest> rs) {
    long n = 0;
    for (CorrelationRequest r : rs) {
      if (r instanceof CorrelationRequest.RandomOt ot) {
        n += ot.n();
      }
    }
    return n;
  }
}
