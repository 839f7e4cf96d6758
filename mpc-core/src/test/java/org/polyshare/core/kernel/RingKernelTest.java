package org.polyshare.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.polyshare.core.kernel.RingOracles.naiveGemm;
import static org.polyshare.core.kernel.RingOracles.random;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The ring kernels against naive oracles. Surefire runs this class twice (mpc-core pom): on the
 * kernels {@link RingKernels} picks, and with {@code -Dpolyshare.kernels=scalar}.
 */
class RingKernelTest {
  @Test
  void theForcingPropertyDecidesWhichLoopsThisJvmRuns() {
    boolean forced = "scalar".equals(System.getProperty(RingKernels.PROPERTY));
    assumeTrue(forced || RingKernels.probeLanes() >= RingKernels.MIN_LANES, "no wide vectors");
    assertEquals(forced, RingKernels.lanes() instanceof ScalarLanes, RingKernels.describe());
  }

  @Test
  void gemmMatchesNaiveProductOverTheRingForRaggedShapes() {
    SplittableRandom rnd = new SplittableRandom(1);
    for (int trial = 0; trial < 40; trial++) {
      int m = 1 + rnd.nextInt(9);
      int k = 1 + rnd.nextInt(150);
      int n = 1 + rnd.nextInt(1100);
      MatMulShape s = new MatMulShape(m, k, n);
      long[] a = random(rnd, m * k);
      long[] b = random(rnd, k * n);
      long[] expect = naiveGemm(a, b, m, k, n);
      assertArrayEquals(expect, RingGemm.multiply(a, b, s), s.toString());
    }
  }

  @Test
  void im2colConvMatchesDirectConvolutionWithStridePaddingAndBatch() {
    SplittableRandom rnd = new SplittableRandom(2);
    for (int trial = 0; trial < 40; trial++) {
      int k = 1 + rnd.nextInt(4);
      int h = k + rnd.nextInt(9);
      int w = k + rnd.nextInt(9);
      Conv2dShape s =
          new Conv2dShape(
              1 + rnd.nextInt(3),
              1 + rnd.nextInt(4),
              h,
              w,
              1 + rnd.nextInt(5),
              k,
              k == 1 ? 1 : k - rnd.nextInt(2),
              1 + rnd.nextInt(3),
              rnd.nextInt(3));
      long[] x = random(rnd, s.inputNumel());
      long[] wt = random(rnd, s.weightNumel());
      assertArrayEquals(RingConv.conv2dDirect(x, wt, s), RingConv.conv2d(x, wt, s), s.toString());
    }
  }

  /**
   * A thread keeps its patch matrix between convolutions (one allocation, not one per call) up to
   * the kept size, and no two threads share one; this class's convolutions run over such reused,
   * stale matrices of other shapes and still matched the direct convolution.
   */
  @Test
  void eachThreadReusesItsOwnPatchMatrixUpToTheKeptSize() throws Exception {
    long[] first = RingConv.patches(1000);
    assertSame(first, RingConv.patches(10), "a smaller request reuses the thread's matrix");
    long[] grown = RingConv.patches(first.length + 1);
    assertSame(grown, RingConv.patches(first.length + 1), "a larger one replaces it, then stays");
    long[] huge = RingConv.patches(RingConv.KEPT_PATCH_LONGS + 1);
    assertNotSame(huge, RingConv.patches(RingConv.KEPT_PATCH_LONGS + 1), "above the cap: not kept");
    assertSame(grown, RingConv.patches(1), "the kept matrix survives a larger request");
    long[][] other = new long[1][];
    Thread t = new Thread(() -> other[0] = RingConv.patches(10));
    t.start();
    t.join();
    assertNotSame(grown, other[0], "another thread has its own matrix");
  }

  /**
   * Every element of the patch matrix, padding included, is written from its definition ({@code
   * input[c][oy·stride − pad + ky][ox·stride − pad + kx]}, 0 outside), whatever the scratch held:
   * odd sizes, padding up to wider than the input, both strides, channel ranges at odd offsets.
   */
  @Test
  void im2colWritesEachPatchElementByItsDefinitionOverADirtyScratch() {
    SplittableRandom rnd = new SplittableRandom(4);
    for (int trial = 0; trial < 60; trial++) {
      int k = 1 + rnd.nextInt(5);
      int pad = rnd.nextInt(k + 2);
      int h = Math.max(1, k - 2 * pad) + rnd.nextInt(8);
      int w = Math.max(1, k - 2 * pad) + rnd.nextInt(8);
      int inC = 1 + rnd.nextInt(5);
      Conv2dShape s = new Conv2dShape(2, inC, h, w, 1, k, k, 1 + rnd.nextInt(2), pad);
      long[] x = random(rnd, s.inputNumel());
      int plane = s.outH() * s.outW();
      long[] cols = random(rnd, s.patchSize() * plane); // garbage where padding goes
      int c0 = rnd.nextInt(inC);
      int c1 = c0 + 1 + rnd.nextInt(inC - c0);
      long[] before = cols.clone();
      int image = 1;
      RingConv.im2col(x, image * inC * h * w, s, cols, c0, c1);
      for (int c = 0; c < inC; c++) {
        for (int ky = 0; ky < k; ky++) {
          for (int kx = 0; kx < k; kx++) {
            int row = (c * k + ky) * k + kx;
            for (int oy = 0; oy < s.outH(); oy++) {
              for (int ox = 0; ox < s.outW(); ox++) {
                int at = row * plane + oy * s.outW() + ox;
                int iy = oy * s.stride() - pad + ky;
                int ix = ox * s.stride() - pad + kx;
                boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                long want =
                    c < c0 || c >= c1
                        ? before[at]
                        : inside ? x[((image * inC + c) * h + iy) * w + ix] : 0L;
                assertEquals(want, cols[at], s + " channels [" + c0 + ", " + c1 + ") at " + at);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void shapesComputeOutputDimsAndRejectNonsense() {
    Conv2dShape s = Conv2dShape.of(2, 64, 32, 64, 3, 1, 1);
    assertEquals(32, s.outH());
    assertEquals(2L * 64 * 32 * 32 * 64 * 9, s.macs());
    assertEquals(16, Conv2dShape.of(1, 3, 32, 8, 3, 2, 1).outW());
    assertThrows(IllegalArgumentException.class, () -> Conv2dShape.of(1, 3, 2, 8, 5, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new MatMulShape(0, 1, 1));
  }

  @Test
  void bilinearMapsAccumulateAreBilinearAndRoundTripTheirEncoding() {
    SplittableRandom rnd = new SplittableRandom(3);
    BilinearMap[] maps = {
      new Elementwise(17), new MatMulShape(3, 5, 4), new Conv2dShape(2, 3, 6, 5, 4, 3, 3, 2, 1)
    };
    for (BilinearMap m : maps) {
      long[] a = random(rnd, m.leftNumel());
      long[] a2 = random(rnd, m.leftNumel());
      long[] b = random(rnd, m.rightNumel());
      long[] out = random(rnd, m.outputNumel());
      long[] expect = out.clone();
      long[] ab = m.apply(a, b);
      long[] a2b = m.apply(a2, b);
      long[] sum = new long[a.length];
      for (int i = 0; i < sum.length; i++) {
        sum[i] = a[i] + a2[i];
      }
      long[] sumB = m.apply(sum, b);
      for (int i = 0; i < sumB.length; i++) {
        assertEquals(ab[i] + a2b[i], sumB[i], m + ": linear in the left operand");
        expect[i] += ab[i];
      }
      m.applyAdd(a, b, out);
      assertArrayEquals(expect, out, m + ": applyAdd adds onto the output");
      assertEquals(
          m.outputNumel(), java.util.Arrays.stream(m.outputShape()).reduce(1, (x, y) -> x * y));
      long[] e = m.encode();
      int[] f = new int[e.length + 1];
      for (int i = 0; i < e.length; i++) {
        f[i + 1] = (int) e[i];
      }
      assertEquals(m, BilinearMap.decode(f, 1));
      assertThrows(
          IllegalArgumentException.class,
          () -> BilinearMap.decode(java.util.Arrays.copyOf(f, f.length - 1), 1));
    }
    assertArrayEquals(
        new long[] {6, 14}, new Elementwise(2).apply(new long[] {2, 7}, new long[] {3, 2}));
    assertThrows(IllegalArgumentException.class, () -> BilinearMap.decode(new int[] {9, 1}, 0));
    assertThrows(UnsupportedOperationException.class, () -> new Elementwise(3).withBatch(2));
  }

  @Test
  void transposeSwapsRowsAndColumns() {
    long[] a = {1, 2, 3, 4, 5, 6};
    assertArrayEquals(new long[] {1, 4, 2, 5, 3, 6}, RingGemm.transpose(a, 2, 3));
    long[] big = new SplittableRandom(3).longs(70 * 45).toArray();
    assertArrayEquals(big, RingGemm.transpose(RingGemm.transpose(big, 70, 45), 45, 70));
  }

  @Test
  void sumPoolAddsEachWindow() {
    long[] x = new long[16];
    for (int i = 0; i < 16; i++) {
      x[i] = i;
    }
    assertArrayEquals(
        new long[] {0 + 1 + 4 + 5, 2 + 3 + 6 + 7, 8 + 9 + 12 + 13, 10 + 11 + 14 + 15},
        RingConv.sumPool2d(x, 1, 1, 4, 4, 2, 2));
  }
}
