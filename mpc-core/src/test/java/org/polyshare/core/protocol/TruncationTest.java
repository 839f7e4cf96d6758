package org.polyshare.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.ring.FixedPoint;

class TruncationTest {
  private static final int F = 16;

  /**
   * Shares {@code x = x0 + x1} with a uniform {@code x1}, truncates in {@code mode}, reconstructs.
   */
  private static long[] truncateShared(long[] x, TruncationMode mode, int bits, long seed) {
    TwoParties.Result<long[]> r =
        SharedRuns.onShares(
            new InProcessSession(new FixedPoint(F), mode),
            x,
            seed,
            (p, mine) -> Truncation.truncate(p, mine, bits));
    assertEquals(mode == TruncationMode.DEALER ? 1 : 0, r.stats0().rounds(), "rounds");
    return SharedRuns.reveal(r);
  }

  @Test
  void dealerTruncationIsFloorOrFloorPlusOneOverAMillionValues() {
    int n = 1_000_000;
    SplittableRandom rnd = new SplittableRandom(11);
    long[] x = new long[n];
    for (int i = 0; i < n; i++) {
      // Spread across ±2^40 on a log scale, so small and large magnitudes are both well covered.
      long mag = rnd.nextLong(1L << rnd.nextInt(1, 41));
      x[i] = rnd.nextBoolean() ? mag : -mag;
    }
    // The range limits themselves: |x| just below 2^62, and -2^62 exactly.
    for (int i = 0; i < 1000; i++) {
      x[i] = (1L << 62) - 1 - i;
      x[1000 + i] = -(1L << 62) + i;
    }
    long[] t = truncateShared(x, TruncationMode.DEALER, F, 12);
    long plusOne = 0;
    for (int i = 0; i < n; i++) {
      long diff = t[i] - (x[i] >> F);
      assertTrue(diff == 0 || diff == 1, "element " + i + " off by " + diff + " ulps");
      plusOne += diff;
    }
    // The omitted borrow fires when the low f bits of y and r overflow: about half the time.
    System.out.printf(
        "dealer truncation: %d values, %.4f carried one ulp%n", n, plusOne / (double) n);
    assertTrue(plusOne > 0.45 * n && plusOne < 0.55 * n, "borrow rate " + plusOne / (double) n);
  }

  @Test
  void dealerTruncationWorksForOtherShifts() {
    SplittableRandom rnd = new SplittableRandom(13);
    for (int bits : new int[] {1, 8, 30, 45, 62}) {
      long[] x = new long[20000];
      for (int i = 0; i < x.length; i++) {
        x[i] = rnd.nextLong(-(1L << 62), 1L << 62);
      }
      long[] t = truncateShared(x, TruncationMode.DEALER, bits, bits);
      for (int i = 0; i < x.length; i++) {
        long diff = t[i] - (x[i] >> bits);
        assertTrue(diff == 0 || diff == 1, "shift " + bits + " element " + i + " off by " + diff);
      }
    }
  }

  @Test
  void localTruncationFailsAtItsTheoreticalRate() {
    int n = 200_000;
    SplittableRandom rnd = new SplittableRandom(14);
    long[] x = new long[n];
    double expected = 0;
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextLong(-(1L << 61), 1L << 61);
      // With uniform shares the signed share sum overflows with probability |x| / 2^64.
      expected += Math.abs((double) x[i]) / Math.scalb(1.0, 64);
    }
    long[] t = truncateShared(x, TruncationMode.LOCAL, F, 15);
    long large = 0;
    for (int i = 0; i < n; i++) {
      long diff = t[i] - (x[i] >> F);
      if (Math.abs(diff) > 1) {
        large++;
        long wrap = 1L << (64 - F);
        assertTrue(
            Math.abs(Math.abs(diff) - wrap) <= 1, "a large error is a wrap of 2^(64-f): " + diff);
      }
    }
    double sigma = Math.sqrt(expected);
    System.out.printf(
        "local truncation: %d large errors in %d values (rate %.5f); theory %.1f (rate %.5f), %.2f sigma%n",
        large, n, large / (double) n, expected, expected / n, (large - expected) / sigma);
    // Deterministic (seeded shares, no dealer), and with λ ≈ 12,500 a Poisson count 6.5 sd off
    // would be a false alarm under 1e-10 for any seed.
    assertTrue(
        Math.abs(large - expected) < 6.5 * sigma, "observed " + large + " vs expected " + expected);

    // Small values: the same protocol is then almost always right to one ulp.
    long[] small = new long[n];
    for (int i = 0; i < n; i++) {
      small[i] = rnd.nextLong(-(1L << 40), 1L << 40);
    }
    long[] ts = truncateShared(small, TruncationMode.LOCAL, F, 16);
    long bad = 0;
    for (int i = 0; i < n; i++) {
      if (Math.abs(ts[i] - (small[i] >> F)) > 1) {
        bad++;
      }
    }
    // λ < 2e5 · 2^40/2^64 = 0.012 expected failures; P(N ≥ 4) < λ^4/24 = 9e-10
    assertTrue(bad <= 3, "values below 2^40 fail with probability < 2^-24 each, saw " + bad);
  }
}
