package org.polyshare.models.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.graph.MaxPool;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PoolWindow;
import org.polyshare.models.zoo.Zoo;

/**
 * Max-pool in the FSS arm: {@code max(a, b) = b + ReLU(a − b)} as a tree of FSS ReLU batches. It is
 * exact, so with exact truncation elsewhere the secure logits equal the int64 forward bit for bit —
 * with −∞ padding and ceil-mode overhang (cells that take no part), zero pads (a public 0 that
 * does), odd windows (a cell passed up a level unchanged) — and the plan draws DCF keys, w − 1 per
 * window, and no garbling OTs.
 */
class FssMaxPoolTest {
  private static final SecureOptions FSS_EXACT =
      SecureOptions.defaults().withRelu(ReluMode.FSS).withTruncation(TruncationMode.EXACT);

  /** conv → ReLU → 3x3/2 max-pool (pads −∞, ceil) → conv → ReLU → 2x2 max-pool (zero pads) → fc. */
  static Model lenetWithMaxPools() {
    Model.Builder b = Model.builder("fss-maxpool-net", 1, 12, 12).conv("c1", 4, 3, 1, 1).relu("r1");
    b.add(new MaxPool("m1", "r1", new PoolWindow(3, 2, 1, new int[] {1, 1, 1, 1}, true), false));
    b.conv("c2", 3, 3, 1, 0).relu("r2");
    b.add(new MaxPool("m2", "r2", new PoolWindow(2, 1, 1, new int[] {0, 1, 1, 0}, false), true));
    return Zoo.randomize(b.flatten("flat").linear("fc", 5).build(), 23);
  }

  @Test
  void secureMaxPoolNetEqualsTheInt64ForwardBitForBit() {
    Model m = lenetWithMaxPools();
    double[][] xs = Zoo.sampleInputs(m, 4, 17);
    SecureRun.Outcome o = SecureRun.run(m, m, xs, 2, FSS_EXACT);
    double[][] ring = new RingForward(m, xs.length).forward(xs);
    for (int i = 0; i < xs.length; i++) {
      assertArrayEquals(ring[i], o.logits()[i], 0.0, "input " + i);
    }
    assertTrue(o.dealerQuietOnline(), "the dealer is not contacted online");
    // the same inputs again: bit-identical (nothing random survives an exact evaluation)
    assertArrayEquals(o.logits(), SecureRun.run(m, m, xs, 2, FSS_EXACT).logits());
  }

  @Test
  void aWindowOnTheInputWithNegativeValuesAndOverhangIsExact() {
    // straight on the input (values of both signs), 3x3 windows of 9 cells: levels 9 → 5 → 3 → 2 →
    // 1
    Model m =
        Model.builder("fss-maxpool-input", 2, 7, 7)
            .add(
                new MaxPool(
                    "mp",
                    Model.INPUT,
                    new PoolWindow(3, 2, 2, new int[] {1, 1, 1, 1}, true),
                    false))
            .flatten("flat")
            .build();
    double[][] xs = Zoo.sampleInputs(m, 3, 5);
    double[][] ring = new RingForward(m, xs.length).forward(xs);
    double[][] secure = SecureRun.run(m, m, xs, 3, FSS_EXACT).logits();
    for (int i = 0; i < xs.length; i++) {
      assertArrayEquals(ring[i], secure[i], 0.0, "input " + i);
    }
  }

  @Test
  void planDrawsWMinusOneKeysPerWindowAndNoGarblingOts() {
    Model m = lenetWithMaxPools();
    SecureModel fss = SecureModel.compile(m, 1, FSS_EXACT);
    SecureModel gc = SecureModel.compile(m, 1, FSS_EXACT.withRelu(ReluMode.GC));
    long keys = 0;
    int batches = 0;
    long ots = 0;
    for (CorrelationRequest r : fss.inferenceRequests()) {
      if (r instanceof CorrelationRequest.FssRelu k) {
        keys += k.n();
        batches++;
      } else if (r instanceof CorrelationRequest.RandomOt ot) {
        ots += ot.n();
      }
    }
    assertEquals(0, ots, "no garbled circuit is left in the FSS arm");
    // m1: windows of 9 cells, 4 levels (9 → 5 → 3 → 2 → 1); m2: windows of 4 cells, 2 levels
    long m1 = numel(m.shape("m1"));
    long m2 = numel(m.shape("m2"));
    assertEquals(gc.reluCount() + m1 * 8 + m2 * 3, keys, "ReLUs plus w - 1 keys per window");
    assertEquals(2 + 4 + 2, batches, "one key batch per ReLU layer and per tree level");
    assertEquals(gc.reluCount(), fss.reluCount());
    System.out.printf(
        "%s: %d DCF keys in %d batches (%d for max-pools)%n",
        m.name(), keys, batches, m1 * 8 + m2 * 3);
  }

  private static long numel(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }
}
