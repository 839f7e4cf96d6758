package org.polyshare.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The limb product ({@link LimbGemm}) equals the scalar ring product bit for bit: on ragged shapes
 * and strides, on every α it accepts, and at the sums' worst case, where a chunk one step longer
 * than {@link LimbGemm#chunk} would leave the exact range of doubles. The test JVMs load the Vector
 * API (root pom), so the kernel runs here whatever the process-wide choice is.
 */
class LimbGemmTest {
  private static final LongLanes SCALAR = ScalarLanes.INSTANCE;

  /**
   * Entries uniform in {@code (−2^alpha, 2^alpha)} (fixed-point weights; also WinogradConvTest).
   */
  static long[] narrow(SplittableRandom rnd, int n, int alpha) {
    long bound = 1L << alpha;
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextLong(-bound + 1, bound);
    }
    return v;
  }

  private static void assertLimbsEqualScalar(
      long[] a, int lda, long[] b, int ldb, long[] c0, int ldc, int off, int m, int k, int n) {
    int alpha = LimbGemm.alpha(a, off, lda, m, k);
    long[] want = c0.clone();
    long[] got = c0.clone();
    RingGemm.serial(SCALAR, a, off, lda, b, off, ldb, want, off, ldc, m, k, n);
    LimbGemm.serial(SCALAR, alpha, a, off, lda, b, off, ldb, got, off, ldc, m, k, n);
    assertArrayEquals(want, got, m + "x" + k + "x" + n + " alpha " + alpha + " lda " + lda);
  }

  @Test
  void limbProductEqualsTheRingProductOnRaggedShapesStridesAndEveryAlpha() {
    SplittableRandom rnd = new SplittableRandom(21);
    for (int trial = 0; trial < 200; trial++) {
      int alpha = rnd.nextInt(LimbGemm.MAX_ALPHA + 1);
      int m = 1 + rnd.nextInt(27);
      int k = 1 + rnd.nextInt(300);
      // below one tile, around it, and past the NB column block, with every remainder mod 8
      int n = trial % 3 == 0 ? 1 + rnd.nextInt(17) : 1 + rnd.nextInt(300);
      boolean strided = rnd.nextBoolean();
      int lda = k + (strided ? rnd.nextInt(7) : 0);
      int ldb = n + (strided ? rnd.nextInt(7) : 0);
      int ldc = n + (strided ? rnd.nextInt(7) : 0);
      int off = rnd.nextInt(5);
      long[] a = narrow(rnd, off + m * lda, alpha);
      long[] b = rnd.longs(off + (long) k * ldb).toArray();
      long[] c = rnd.longs(off + (long) m * ldc).toArray();
      assertLimbsEqualScalar(a, lda, b, ldb, c, ldc, off, m, k, n);
    }
  }

  /**
   * All of A at {@code ±(2^α − 1)} and all of B at −1 (every limb at its maximum) make each chunk's
   * sum the largest the bound allows: {@code kc·(2^α − 1)·(2^22 − 1)}, just below 2^51. The
   * products are odd, so the partial sums alternate parity, and any lost bit would show.
   */
  @Test
  void sumsAtTheirWorstCaseStayExactForEveryChunkLength() {
    for (int alpha = 0; alpha <= LimbGemm.MAX_ALPHA; alpha++) {
      int kc = LimbGemm.chunk(alpha);
      int m = 8;
      int n = 16;
      int k = 3 * kc + 5;
      for (long sign : new long[] {1, -1}) {
        long[] a = new long[m * k];
        Arrays.fill(a, sign * ((1L << alpha) - 1));
        long[] b = new long[k * n];
        Arrays.fill(b, -1L);
        assertLimbsEqualScalar(a, k, b, n, new long[m * n], n, 0, m, k, n);
      }
    }
  }

  @Test
  void longerChunksThanTheBoundAllowsWouldNotBeExact() {
    // The test above fails if the chunk were twice as long: the same worst case in doubles, summed
    // over 2·kc steps from M = 1.5·2^52, loses bits. Shown here on the arithmetic itself.
    int alpha = 24;
    int kc = LimbGemm.chunk(alpha);
    assertEquals(1 << (29 - alpha), kc, "at alpha 24 the chunk is the bound itself, not KC");
    double term = (double) ((1L << alpha) - 1) * ((1L << 22) - 1);
    double acc = 0x1.8p52;
    for (int p = 0; p < 2 * kc; p++) {
      acc = Math.fma(1.0, term, acc);
    }
    long got = Double.doubleToRawLongBits(acc) - Double.doubleToRawLongBits(0x1.8p52);
    assertTrue(got != (long) (2 * kc) * ((1L << alpha) - 1) * ((1L << 22) - 1));
  }

  @Test
  void alphaIsTheBitLengthOfTheLargestMagnitudeAndStopsAtTheLimit() {
    assertEquals(0, LimbGemm.alpha(new long[4], 0, 2, 2, 2));
    assertEquals(5, LimbGemm.alpha(new long[] {0, 31, -7, 3}, 0, 2, 2, 2));
    assertEquals(6, LimbGemm.alpha(new long[] {0, -32, 7, 3}, 0, 2, 2, 2));
    long max = (1L << LimbGemm.MAX_ALPHA) - 1;
    assertEquals(LimbGemm.MAX_ALPHA, LimbGemm.alpha(new long[] {-max, max}, 0, 2, 1, 2));
    assertEquals(64, LimbGemm.alpha(new long[] {1L << LimbGemm.MAX_ALPHA}, 0, 1, 1, 1));
    assertEquals(64, LimbGemm.alpha(new long[] {3, Long.MIN_VALUE}, 0, 2, 1, 2));
    // only the block is read: a wide entry outside it (in the stride gap) does not count
    assertEquals(2, LimbGemm.alpha(new long[] {3, Long.MAX_VALUE, -2, Long.MAX_VALUE}, 0, 2, 2, 1));
    assertEquals(LimbGemm.MIN_KC, LimbGemm.chunk(LimbGemm.MAX_ALPHA));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            LimbGemm.serial(
                SCALAR,
                27,
                new long[16],
                0,
                4,
                new long[64],
                0,
                16,
                new long[64],
                0,
                16,
                4,
                4,
                16));
  }

  @Test
  void ringGemmAndConvEqualTheNaiveProductWithFixedPointWeights() {
    // Through the process-wide dispatch: the limb kernel where RingKernels chose it, the long
    // lanes elsewhere; the bits must not depend on which.
    SplittableRandom rnd = new SplittableRandom(23);
    int m = 64;
    int k = 300;
    int n = 72;
    long[] a = narrow(rnd, m * k, 18);
    long[] b = rnd.longs((long) k * n).toArray();
    assertArrayEquals(
        RingOracles.naiveGemm(a, b, m, k, n), RingGemm.multiply(a, b, new MatMulShape(m, k, n)));
    Conv2dShape[] shapes = {
      Conv2dShape.of(1, 64, 16, 128, 3, 2, 1),
      Conv2dShape.of(1, 256, 4, 256, 3, 1, 1),
      Conv2dShape.of(2, 32, 8, 64, 1, 1, 0),
    };
    for (Conv2dShape s : shapes) {
      long[] x = rnd.longs(s.inputNumel()).toArray();
      long[] w = narrow(rnd, s.weightNumel(), 17);
      assertArrayEquals(RingConv.conv2dDirect(x, w, s), RingConv.conv2d(x, w, s), s.toString());
    }
  }

  @Test
  void theLimbKernelIsChosenOnlyWhereItIsTheFasterExactPath() {
    assertTrue(RingKernels.chooseLimbs("", true, 4, 17).on());
    assertFalse(RingKernels.chooseLimbs("", true, 8, 17).on(), "AVX-512: vpmullq");
    assertFalse(RingKernels.chooseLimbs("", true, 4, 25).on(), "JDK 25's long lanes");
    assertFalse(RingKernels.chooseLimbs("", false, 0, 17).on(), "no Vector API");
    assertFalse(RingKernels.chooseLimbs("off", true, 4, 17).on());
    assertTrue(RingKernels.chooseLimbs(" ON ", true, 8, 25).on());
    assertFalse(RingKernels.chooseLimbs("on", false, 0, 17).on(), "on cannot conjure the API");
    RingKernels.Limbs typo = RingKernels.chooseLimbs("yes", true, 4, 17);
    assertTrue(typo.on() && typo.reason().contains("=yes is neither on nor off"), typo.reason());
    assertTrue(RingKernels.describe().contains("narrow-A products: "), RingKernels.describe());
  }
}
