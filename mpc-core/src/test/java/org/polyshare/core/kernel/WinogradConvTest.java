package org.polyshare.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Winograd product ({@link WinogradConv}) equals the direct ring convolution bit for bit: on
 * uniform 64-bit inputs (the masked input of the owner's product) and every weight width it
 * accepts, at the extremes of both operands, over several images and fed channel block by channel
 * block; and it declines every shape and width outside its exact range.
 */
class WinogradConvTest {
  private static void assertEqualsDirect(long[] x, long[] w, Conv2dShape s, long seed) {
    WinogradConv wc = WinogradConv.ofAnyKernels(w, s);
    assertNotNull(wc, s::toString);
    long[] start = new SplittableRandom(seed).longs(s.outputNumel()).toArray();
    long[] want = RingConv.conv2dDirect(x, w, s);
    for (int i = 0; i < want.length; i++) {
      want[i] += start[i];
    }
    long[] got = start.clone();
    wc.applyAdd(x, got);
    assertArrayEquals(want, got, s.toString());
  }

  @Test
  void equalsTheDirectConvolutionOnUniformInputsAndEveryWeightWidth() {
    SplittableRandom rnd = new SplittableRandom(5);
    int[][] planes = {{4, 4}, {8, 8}, {4, 8}, {8, 4}, {16, 16}};
    for (int trial = 0; trial < 40; trial++) {
      int alpha = trial % (WinogradConv.MAX_ALPHA + 1);
      int[] hw = planes[trial % planes.length];
      int inC = 1 + rnd.nextInt(trial % 5 == 0 ? 70 : 12);
      int outC = 8 * (1 + rnd.nextInt(3));
      int batch = 1 + rnd.nextInt(2);
      Conv2dShape s = new Conv2dShape(batch, inC, hw[0], hw[1], outC, 3, 3, 1, 1);
      long[] x = rnd.longs(s.inputNumel()).toArray();
      assertEqualsDirect(x, LimbGemmTest.narrow(rnd, s.weightNumel(), alpha), s, trial);
    }
  }

  @Test
  void isExactAtTheExtremesOfBothOperands() {
    // The widest weights it takes, with signs chosen so that U' reaches 9·max|g| at its centre, on
    // inputs whose limbs are all at their maximum or all-but-the-top bit: the partial sums run at
    // the chunk's bound, and many chunks add up in limb 0's exact long sum.
    long top = (1L << WinogradConv.MAX_ALPHA) - 1;
    // one tile row per quad of tiles (8x8) and two (4x4)
    for (int hw : new int[] {4, 8}) {
      extremes(top, new Conv2dShape(1, 96, hw, hw, 16, 3, 3, 1, 1));
    }
  }

  private static void extremes(long top, Conv2dShape s) {
    long[] up = new long[s.weightNumel()];
    Arrays.fill(up, top);
    long[] mixed = up.clone();
    for (int i = 0; i < mixed.length; i += 2) {
      mixed[i] = -top;
    }
    for (long fill : new long[] {-1L, Long.MIN_VALUE, Long.MAX_VALUE, (1L << 22) - 1}) {
      long[] x = new long[s.inputNumel()];
      Arrays.fill(x, fill);
      assertEqualsDirect(x, up, s, fill);
      assertEqualsDirect(x, mixed, s, fill + 1);
      long[] neg = up.clone();
      for (int i = 0; i < neg.length; i++) {
        neg[i] = -neg[i];
      }
      assertEqualsDirect(x, neg, s, fill + 2);
    }
  }

  @Test
  void channelBlocksAddUpToTheWholeProduct() {
    SplittableRandom rnd = new SplittableRandom(9);
    Conv2dShape s = new Conv2dShape(2, 37, 8, 8, 16, 3, 3, 1, 1);
    long[] x = rnd.longs(s.inputNumel()).toArray();
    long[] w = LimbGemmTest.narrow(rnd, s.weightNumel(), 16);
    WinogradConv wc = WinogradConv.ofAnyKernels(w, s);
    long[] whole = new long[s.outputNumel()];
    wc.applyAdd(x, whole);
    assertArrayEquals(RingConv.conv2dDirect(x, w, s), whole);
    long[] blocked = new long[s.outputNumel()];
    WinogradConv.Pass pass = wc.begin(x, blocked);
    for (int b = 0; b < s.batch(); b++) {
      for (int c0 = 0; c0 < s.inC(); ) {
        int c1 = Math.min(s.inC(), c0 + 1 + rnd.nextInt(9));
        pass.add(b, c0, c1);
        c0 = c1;
      }
    }
    pass.finish();
    assertArrayEquals(whole, blocked);
    WinogradConv.Pass gap = wc.begin(x, new long[s.outputNumel()]);
    gap.add(0, 0, 5);
    assertThrows(IllegalArgumentException.class, () -> gap.add(0, 6, 9));
  }

  @Test
  void aWeightedProductRunsItWhereTheLimbKernelRunsAndBlocksLikeTheMap() {
    SplittableRandom rnd = new SplittableRandom(13);
    Conv2dShape s = new Conv2dShape(2, 24, 8, 8, WinogradConv.MIN_OUT_CHANNELS, 3, 3, 1, 1);
    long[] x = rnd.longs(s.inputNumel()).toArray();
    long[] w = LimbGemmTest.narrow(rnd, s.weightNumel(), 16);
    WeightedProduct wp = WeightedProduct.of(s, w);
    assertEquals(RingKernels.limbs(), wp.winograd());
    Conv2dShape few = new Conv2dShape(1, 8, 8, 8, WinogradConv.MIN_OUT_CHANNELS - 8, 3, 3, 1, 1);
    assertFalse(
        WeightedProduct.of(few, LimbGemmTest.narrow(rnd, few.weightNumel(), 16)).winograd());
    long[] want = s.apply(x, w);
    assertArrayEquals(want, wp.apply(x));
    for (int grain : new int[] {1, 64 * 3, 64 * 7, Integer.MAX_VALUE}) {
      long[] got = new long[s.outputNumel()];
      BlockedProduct blocked = wp.blocked(got, grain);
      for (int ready = 0; ready < x.length; ready += 1 + rnd.nextInt(400)) {
        blocked.advance(x, ready);
      }
      blocked.finish(x);
      assertArrayEquals(want, got, "grain " + grain);
    }
    // uniform weights (a mask share) never take the Winograd kernel
    assertFalse(WeightedProduct.of(s, rnd.longs(s.weightNumel()).toArray()).winograd());
  }

  @Test
  void declinesShapesAndWeightsOutsideItsExactRange() {
    SplittableRandom rnd = new SplittableRandom(3);
    Conv2dShape ok = new Conv2dShape(1, 8, 8, 8, 8, 3, 3, 1, 1);
    assertNotNull(WinogradConv.ofAnyKernels(LimbGemmTest.narrow(rnd, ok.weightNumel(), 20), ok));
    long[] wide = LimbGemmTest.narrow(rnd, ok.weightNumel(), 20);
    wide[7] = 1L << WinogradConv.MAX_ALPHA;
    assertNull(WinogradConv.ofAnyKernels(wide, ok), "weights at 2^20");
    for (Conv2dShape s :
        new Conv2dShape[] {
          new Conv2dShape(1, 8, 8, 8, 8, 3, 3, 2, 1), // stride 2
          new Conv2dShape(1, 8, 8, 8, 8, 3, 3, 1, 0), // no padding
          new Conv2dShape(1, 8, 8, 8, 8, 1, 1, 1, 0), // 1x1
          new Conv2dShape(1, 8, 8, 8, 12, 3, 3, 1, 1), // outC not a multiple of 8
          new Conv2dShape(1, 8, 6, 6, 8, 3, 3, 1, 1), // 9 tiles
          new Conv2dShape(1, 8, 5, 8, 8, 3, 3, 1, 1), // odd plane
        }) {
      assertNull(
          WinogradConv.ofAnyKernels(LimbGemmTest.narrow(rnd, s.weightNumel(), 8), s), s::toString);
    }
  }
}
