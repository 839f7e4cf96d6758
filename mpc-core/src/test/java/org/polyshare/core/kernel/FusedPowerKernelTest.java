package org.polyshare.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link FusedPowerKernel} equals the per-element binomial sum over explicit power arrays (the
 * formula of the fused power's class comment, written out as directly as possible) bit for bit:
 * every degree, shifts across [1, 62], both signs of c, both parties, any split of c into two
 * halves and of the elements into ranges, the peer's half whole or as pieces at any offset.
 */
class FusedPowerKernelTest {
  private static final int[] SHIFTS = {1, 2, 8, 15, 16, 17, 31, 32, 33, 48, 61, 62};

  /** Σ_j (−1)^j·C(d, j)·a^(d−j)·v^j with a^j and v^j in arrays, for one element. */
  private static long oracle(long c, long[] dep, int n, int i, int f, int d, boolean first) {
    long[] binom = new long[d + 1];
    binom[0] = 1;
    for (int j = 1; j <= d; j++) {
      binom[j] = binom[j - 1] * (d - j + 1) / j;
    }
    boolean s = c >= 0; // s = 1 − msb(c)
    long a = (c >>> f) - (1L << (62 - f));
    long bigK = 1L << (64 - f);
    long[] aPow = new long[d + 1];
    long[] vPow = new long[d + 1];
    aPow[0] = 1;
    vPow[0] = first ? 1 : 0;
    for (int j = 1; j <= d; j++) {
      aPow[j] = aPow[j - 1] * a;
    }
    vPow[1] = dep[i] - (s ? bigK * dep[n + i] : 0);
    for (int j = 2; j <= d; j++) {
      vPow[j] = dep[j * n + i] + (s ? dep[(d + j - 1) * n + i] : 0);
    }
    long sum = 0;
    for (int j = 0; j <= d; j++) {
      long term = binom[j] * aPow[d - j] * vPow[j];
      sum += j % 2 == 0 ? term : -term;
    }
    return sum;
  }

  /** Random openings with the msb cases and the edges of the ring in front. */
  private static long[] openings(SplittableRandom rnd, int n) {
    long[] c = rnd.longs(n).toArray();
    long[] edges = {
      0,
      -1,
      1,
      Long.MIN_VALUE,
      Long.MAX_VALUE,
      1L << 62,
      -(1L << 62),
      (1L << 62) - 1,
      Long.MIN_VALUE + 1
    };
    System.arraycopy(edges, 0, c, 0, Math.min(n, edges.length));
    return c;
  }

  /** A random half of each opening: {@code c = mine + (c − mine)}, ring wraps included. */
  private static long[] half(SplittableRandom rnd, long[] c) {
    return rnd.longs(c.length).toArray();
  }

  private static long[] rest(long[] c, long[] mine) {
    long[] other = new long[c.length];
    for (int i = 0; i < c.length; i++) {
      other[i] = c[i] - mine[i];
    }
    return other;
  }

  private static long[] expected(long[] c, long[] dep, int n, int f, int d, boolean first) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = oracle(c[i], dep, n, i, f, d, first);
    }
    return out;
  }

  @Test
  void equalsTheBinomialSumForEveryDegreeShiftAndParty() {
    SplittableRandom rnd = new SplittableRandom(21);
    for (int d = 1; d <= FusedPowerKernel.MAX_DEGREE; d++) {
      for (int f : SHIFTS) {
        // below one vector, ragged, and a few vectors long, so every tail length occurs
        // short and ragged, and past the general path's block of 512 elements
        int n = 1 + rnd.nextInt(f % 2 == 0 ? 1300 : 70);
        long[] c = openings(rnd, n);
        long[] dep = rnd.longs(2L * d * n).toArray();
        for (boolean first : new boolean[] {true, false}) {
          long[] want = expected(c, dep, n, f, d, first);
          String what = "d=" + d + " f=" + f + " n=" + n + " first=" + first;
          long[] mine = half(rnd, c);
          long[] out = new long[n];
          FusedPowerKernel.power(mine, rest(c, mine), 0, dep, n, f, d, first, out, 0, n);
          assertArrayEquals(want, out, what);
          long[] zero = new long[n]; // c whole in one half
          FusedPowerKernel.power(c, zero, 0, dep, n, f, d, first, out, 0, n);
          assertArrayEquals(want, out, what + " (c in one half)");
        }
      }
    }
  }

  @Test
  void rangesAtOddOffsetsGiveTheWholeAndLeaveTheRestUntouched() {
    SplittableRandom rnd = new SplittableRandom(22);
    for (int trial = 0; trial < 60; trial++) {
      int d = 1 + trial % FusedPowerKernel.MAX_DEGREE;
      int f = SHIFTS[rnd.nextInt(SHIFTS.length)];
      int n = 20 + rnd.nextInt(trial % 5 == 0 ? 1500 : 300);
      boolean first = rnd.nextBoolean();
      long[] c = openings(rnd, n);
      long[] dep = rnd.longs(2L * d * n).toArray();
      long[] want = expected(c, dep, n, f, d, first);
      long[] mine = half(rnd, c);
      long[] other = rest(c, mine);
      boolean pieces = trial % 2 == 0; // the peer's half as arrived pieces, or whole
      long[] out = new long[n];
      int at = 0;
      while (at < n) {
        // odd lengths, so odd offsets; now and then past the general path's block of 512
        int len = 1 + 2 * (trial % 5 == 0 ? 200 + rnd.nextInt(200) : rnd.nextInt(12));
        int end = Math.min(n, at + len);
        long[] before = out.clone();
        if (pieces) {
          // the piece sits at an odd offset of a longer buffer, as in a reused receive buffer
          int off = rnd.nextInt(5);
          long[] piece = new long[off + end - at + rnd.nextInt(3)];
          System.arraycopy(other, at, piece, off, end - at);
          FusedPowerKernel.power(mine, piece, off, dep, n, f, d, first, out, at, end);
        } else {
          FusedPowerKernel.power(mine, other, at, dep, n, f, d, first, out, at, end);
        }
        for (int i = 0; i < n; i++) {
          if (i < at || i >= end) {
            assertEquals(before[i], out[i], "outside the range");
          }
        }
        at = end;
      }
      assertArrayEquals(want, out, "d=" + d + " f=" + f + " n=" + n);
    }
  }

  @Test
  void refusesDegreesShiftsAndRangesOutsideTheTuples() {
    long[] c = new long[4];
    long[] other = new long[4];
    long[] out = new long[4];
    long[] dep2 = new long[16];
    assertThrows(
        IllegalArgumentException.class,
        () -> FusedPowerKernel.power(c, other, 0, new long[0], 4, 16, 0, true, out, 0, 4));
    assertThrows(
        IllegalArgumentException.class,
        () -> FusedPowerKernel.power(c, other, 0, new long[72], 4, 16, 9, true, out, 0, 4));
    assertThrows(
        IllegalArgumentException.class,
        () -> FusedPowerKernel.power(c, other, 0, dep2, 4, 0, 2, true, out, 0, 4));
    assertThrows(
        IllegalArgumentException.class,
        () -> FusedPowerKernel.power(c, other, 0, new long[15], 4, 16, 2, true, out, 0, 4));
    assertThrows(
        IllegalArgumentException.class,
        () -> FusedPowerKernel.power(c, other, 0, dep2, 4, 16, 2, true, out, 3, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> FusedPowerKernel.power(c, other, 0, dep2, 4, 16, 2, true, out, 0, 5));
    // the peer's half shorter than the range from its offset
    assertThrows(
        IllegalArgumentException.class,
        () -> FusedPowerKernel.power(c, other, 1, dep2, 4, 16, 2, true, out, 0, 4));
    assertThrows(
        IllegalArgumentException.class,
        () -> FusedPowerKernel.power(c, new long[3], 0, dep2, 4, 16, 2, true, out, 0, 4));
    assertThrows(
        IllegalArgumentException.class,
        () -> FusedPowerKernel.power(c, other, -1, dep2, 4, 16, 2, true, out, 0, 2));
  }
}
