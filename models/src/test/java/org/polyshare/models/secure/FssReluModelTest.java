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
    Model model = ZooCache.get("vgg16-relu");
    double[][] xs = Zoo.sampleInputs(model, 1, 31);
    SecureRun.Outcome o = SecureRun.run(model, Zoo.architecture("vgg16-relu"), xs, 1, FSS_EXACT);
    assertArrayEquals(new RingForward(model, 1).forward(xs)[0], o.logits()[0], "vgg16-relu");
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
      for (CorrelationRequest r : fss.inferenceRequests()) {
        if (r instanceof CorrelationRequest.FssRelu k) {
          assertEquals(FssReluStep.BITS, k.bits());
          keys += k.n();
          keyBatches++;
        }
      }
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
          "%s: %d ReLUs in %d FSS key batches, k = %d%n", name, keys, keyBatches, FssReluStep.BITS);
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
   * A ReLU after a sum at scale f is held to 2^62 (not the ring's 2^63) with the guard's margin.
   */
  @Test
  void reluInputWithinTheGuardButAboveTheFssBoundIsRefused() {
    Model model = Zoo.architecture("resnet18-relu");
    Relu afterAdd = null;
    for (Layer l : model.layers()) {
      if (l instanceof Relu r && model.layer(r.input()) instanceof org.polyshare.models.graph.Add) {
        afterAdd = r;
        break;
      }
    }
    assertTrue(afterAdd != null, "resnet18-relu has a ReLU after a residual Add");
    int f = model.fracBits();
    int margin = Headroom.DEFAULT_MARGIN_BITS;
    // headroom 8.5 bits below 2^63 (the guard passes) but 7.5 below 2^62
    double max = Math.scalb(1.0, 63 - f - margin) / Math.sqrt(2);
    Headroom.Report report = report(model, afterAdd.input(), max, margin + 0.5);
    HeadroomException e =
        assertThrows(HeadroomException.class, () -> FssReluStep.checkBound(model, report, margin));
    assertTrue(
        e.getMessage().contains(afterAdd.input()) && e.getMessage().contains("2^62"),
        e.getMessage());
    FssReluStep.checkBound(model, report(model, afterAdd.input(), max / 4, margin + 2.5), margin);
  }

  /**
   * Rows for every ReLU input: {@code tight} at scale f below 2^63, the others products far from
   * 2^62.
   */
  private static Headroom.Report report(Model model, String tight, double max, double headroom) {
    int f = model.fracBits();
    List<Headroom.LayerHeadroom> rows = new ArrayList<>();
    for (Layer l : model.layers()) {
      if (l instanceof Relu r) {
        rows.add(
            r.input().equals(tight)
                ? new Headroom.LayerHeadroom(tight, "Add", max, f, 63, headroom)
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
