package org.polyshare.core.fss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ObjIntConsumer;
import org.junit.jupiter.api.Test;
import org.polyshare.core.kernel.RingThreads;
import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;

class DcfTest {
  private final Prg dealerRng = new Prg(Seed.random());

  private static long expected(long payload, long x, long alpha) {
    return Long.compareUnsigned(x, alpha) < 0 ? payload : 0L;
  }

  /**
   * Fills {@code alpha} and {@code x} with random n-bit thresholds and points, one point in four
   * equal to its threshold (the boundary a comparison most easily gets wrong).
   */
  static void randomPoints(SplittableRandom rnd, int n, long[] alpha, long[] x) {
    long mask = n == 64 ? -1L : (1L << n) - 1;
    for (int k = 0; k < alpha.length; k++) {
      alpha[k] = rnd.nextLong() & mask;
      x[k] = rnd.nextInt(4) == 0 ? alpha[k] : rnd.nextLong() & mask;
    }
  }

  /**
   * Uniform n-bit thresholds and points; {@code salted}: the first entries replaced by every (edge
   * threshold, edge point) pair, {@code x = α, α ± 1} around each edge and then around random
   * thresholds up to entry 30 000, wrapping past 0 and 2^n − 1.
   */
  static void uniformPoints(SplittableRandom rnd, int n, boolean salted, long[] alpha, long[] x) {
    long mask = n == 64 ? -1L : (1L << n) - 1;
    for (int k = 0; k < alpha.length; k++) {
      alpha[k] = rnd.nextLong() & mask;
      x[k] = rnd.nextLong() & mask;
    }
    if (!salted) {
      return;
    }
    long[] edges = {0L, 1L, 2L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, -2L, -1L};
    int k = 0;
    for (long a : edges) {
      for (long p : edges) {
        alpha[k] = a & mask;
        x[k++] = p & mask;
      }
      for (long d = -1; d <= 1; d++) {
        alpha[k] = a & mask;
        x[k++] = (a + d) & mask;
      }
    }
    for (; k < 30_000; k += 3) {
      long a = rnd.nextLong() & mask;
      alpha[k] = alpha[k + 1] = alpha[k + 2] = a;
      x[k] = a;
      x[k + 1] = (a - 1) & mask;
      x[k + 2] = (a + 1) & mask;
    }
  }

  /**
   * Evaluates the 256 key pairs (one per threshold) at every 8-bit point {@code x} and hands the
   * reconstructed outputs {@code y0 + y1} and {@code x} to {@code check}.
   */
  private static void atEveryPoint(DcfKeys[] keys, ObjIntConsumer<long[]> check) {
    long[] x = new long[256];
    for (int point = 0; point < 256; point++) {
      Arrays.fill(x, point);
      long[] y0 = Dcf.evaluate(keys[0], x);
      long[] y1 = Dcf.evaluate(keys[1], x);
      for (int i = 0; i < y0.length; i++) {
        y0[i] += y1[i];
      }
      check.accept(y0, point);
    }
  }

  /** n = 8: every threshold (one key each), every point, random payloads and payload 1. */
  @Test
  void exhaustiveAtEightBits() {
    int n = 8;
    long[] alpha = new long[256];
    long[] payload = dealerRng.nextLongs(256);
    for (int a = 0; a < 256; a++) {
      alpha[a] = a;
    }
    for (long[] beta : new long[][] {payload, null}) {
      DcfKeys[] keys = Dcf.generate(n, alpha, beta, dealerRng);
      atEveryPoint(
          keys,
          (y, point) -> {
            for (int a = 0; a < 256; a++) {
              long want = expected(beta == null ? 1L : beta[a], point, a);
              assertEquals(want, y[a], "x = " + point + ", alpha = " + a);
            }
          });
    }
  }

  /** Vector payloads: n = 8 exhaustive at widths 2 and 3, one tree per threshold. */
  @Test
  void exhaustiveAtEightBitsWithVectorPayloads() {
    for (int w : new int[] {2, 3}) {
      long[] alpha = new long[256];
      for (int a = 0; a < 256; a++) {
        alpha[a] = a;
      }
      long[] payload = dealerRng.nextLongs(256 * w);
      DcfKeys[] keys = Dcf.generate(8, w, alpha, payload, dealerRng);
      assertEquals(w, keys[0].width());
      atEveryPoint(
          keys,
          (y, point) -> {
            for (int a = 0; a < 256; a++) {
              for (int e = 0; e < w; e++) {
                assertEquals(
                    expected(payload[a * w + e], point, a),
                    y[a * w + e],
                    "width " + w + ", x = " + point + ", alpha = " + a + ", component " + e);
              }
            }
          });
      DcfKeys back = DcfKeys.decode(keys[0].encode());
      assertArrayEquals(keys[0].encode(), back.encode());
      assertEquals(
          8L * (4 + 2 * 256) + (long) (DcfKeys.bytesPerKey(8, w) - 16) * 256, keys[0].wireBytes());
    }
  }

  /** Width 2 at 64 bits on random points, including x = α, α ± 1. */
  @Test
  void vectorPayloadsAtSixtyFourBits() {
    SplittableRandom rnd = new SplittableRandom(99);
    int count = 30_000;
    long[] alpha = new long[count];
    long[] x = new long[count];
    for (int k = 0; k < count; k += 3) {
      long a = rnd.nextLong();
      alpha[k] = alpha[k + 1] = alpha[k + 2] = a;
      x[k] = a;
      x[k + 1] = a - 1;
      x[k + 2] = rnd.nextLong();
    }
    long[] payload = dealerRng.nextLongs(2 * count);
    DcfKeys[] keys = Dcf.generate(64, 2, alpha, payload, dealerRng);
    long[] y0 = Dcf.evaluate(keys[0], x);
    long[] y1 = Dcf.evaluate(keys[1], x);
    for (int k = 0; k < count; k++) {
      for (int e = 0; e < 2; e++) {
        assertEquals(expected(payload[2 * k + e], x[k], alpha[k]), y0[2 * k + e] + y1[2 * k + e]);
      }
    }
  }

  /** n = 64 on 2^20 > 10^6 random points, the first batch salted with the ring's edge cases. */
  @Test
  void randomPointsAtSixtyFourBits() {
    SplittableRandom rnd = new SplittableRandom(20261201L);
    int batch = 1 << 16;
    long mismatches = 0;
    for (int round = 0; round < 16; round++) {
      long[] alpha = new long[batch];
      long[] x = new long[batch];
      uniformPoints(rnd, 64, round == 0, alpha, x);
      long[] payload = dealerRng.nextLongs(batch);
      DcfKeys[] keys = Dcf.generate(64, alpha, payload, dealerRng);
      long[] y0 = Dcf.evaluate(keys[0], x);
      long[] y1 = Dcf.evaluate(keys[1], x);
      for (int k = 0; k < batch; k++) {
        if (y0[k] + y1[k] != expected(payload[k], x[k], alpha[k])) {
          mismatches++;
        }
      }
    }
    assertEquals(0, mismatches, "DCF outputs that do not reconstruct to β·[x < α]");
  }

  /** Odd widths and a batch of one (no 64-key packing boundary assumptions). */
  @Test
  void everyWidthAgreesOnRandomPoints() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int n = 1; n <= 64; n++) {
      int count = 1 + rnd.nextInt(100);
      long[] alpha = new long[count];
      long[] x = new long[count];
      randomPoints(rnd, n, alpha, x);
      DcfKeys[] keys = Dcf.generate(n, alpha, dealerRng);
      long[] y0 = Dcf.evaluate(keys[0], x);
      long[] y1 = Dcf.evaluate(keys[1], x);
      for (int k = 0; k < count; k++) {
        assertEquals(expected(1, x[k], alpha[k]), y0[k] + y1[k], "n = " + n + ", key " + k);
      }
    }
  }

  @Test
  void oneCipherCallPerLevelForTheWholeBatch() {
    long[] alpha = dealerRng.nextLongs(5000);
    DcfKeys[] keys = Dcf.generate(64, alpha, dealerRng);
    TreePrg prg = new TreePrg();
    Dcf.evaluate(keys[0], dealerRng.nextLongs(5000), prg);
    assertEquals(64, prg.cipherCalls());
  }

  /**
   * Split over a pool (uneven blocks of a count not divisible by the thread count), the evaluation
   * equals the one-thread walk word for word, at width 1 and at the ReLU's width 2.
   */
  @Test
  void parallelBlocksGiveTheSameSharesAsOneThread() {
    int count = 3 * Dcf.GRAIN + 7;
    try (RingThreads pool = new RingThreads(3)) {
      assertEquals(3, pool.blocks(count, Dcf.GRAIN));
      for (int w : new int[] {1, 2}) {
        long[] alpha = dealerRng.nextLongs(count);
        DcfKeys[] keys = Dcf.generate(64, w, alpha, dealerRng.nextLongs(count * w), dealerRng);
        long[] x = dealerRng.nextLongs(count);
        for (DcfKeys k : keys) {
          assertArrayEquals(Dcf.evaluate(k, x, new TreePrg()), Dcf.evaluate(k, x, pool));
        }
      }
    }
  }

  @Test
  void keyBytesAreCountedAndTheWireFormRoundTrips() {
    int count = 1000;
    long[] alpha = new long[count];
    for (int k = 0; k < count; k++) {
      alpha[k] = k & 0xFFFF;
    }
    DcfKeys[] keys = Dcf.generate(16, alpha, dealerRng);
    assertEquals(412.0, DcfKeys.bytesPerKey(16));
    assertEquals(1576.0, DcfKeys.bytesPerKey(64));
    assertEquals(32 + 412L * count, keys[1].wireBytes());
    DcfKeys back = DcfKeys.decode(keys[1].encode());
    assertArrayEquals(keys[1].encode(), back.encode());
    long[] x = dealerRng.nextLongs(count);
    for (int k = 0; k < count; k++) {
      x[k] &= 0xFFFF;
    }
    assertArrayEquals(Dcf.evaluate(keys[1], x), Dcf.evaluate(back, x));
    long[] truncated = java.util.Arrays.copyOf(keys[1].encode(), 100);
    assertThrows(IllegalArgumentException.class, () -> DcfKeys.decode(truncated));
  }

  @Test
  void refusesValuesWiderThanTheKey() {
    DcfKeys[] keys = Dcf.generate(8, new long[] {3}, dealerRng);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Dcf.evaluate(keys[0], new long[] {256}));
    assertEquals("DCF point 256 does not fit in 8 bits", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Dcf.generate(8, new long[] {-1}, dealerRng));
  }
}
