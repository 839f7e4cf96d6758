package org.polyshare.core.fss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.polyshare.core.kernel.RingThreads;
import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;

class BitDcfTest {
  private final Prg dealerRng = new Prg(Seed.random());

  static long bit(long[] words, int k) {
    return (words[k >>> 6] >>> (k & 63)) & 1L;
  }

  private static long expected(long x, long alpha, long flip) {
    return (Long.compareUnsigned(x, alpha) < 0 ? 1L : 0L) ^ flip;
  }

  static long[] flips(Prg rng, int count) {
    long[] f = rng.nextLongs(count);
    for (int k = 0; k < count; k++) {
      f[k] &= 1L;
    }
    return f;
  }

  /**
   * n = 1..10: every threshold (one key each), every point, random flips; n = 8 walks one inner
   * level into the 7-bit leaf, n = 10 three, n ≤ 7 is the leaf alone.
   */
  @Test
  void exhaustiveUpToTenBits() {
    for (int n = 1; n <= 10; n++) {
      int size = 1 << n;
      long[] alpha = new long[size];
      for (int a = 0; a < size; a++) {
        alpha[a] = a;
      }
      long[] flip = flips(dealerRng, size);
      BitDcfKeys[] keys = BitDcf.generate(n, alpha, flip, dealerRng);
      long[] x = new long[size];
      for (int point = 0; point < size; point++) {
        Arrays.fill(x, point);
        long[] y0 = BitDcf.evaluate(keys[0], x, new BitDcf.Aes());
        long[] y1 = BitDcf.evaluate(keys[1], x, new BitDcf.Aes());
        for (int a = 0; a < size; a++) {
          assertEquals(
              expected(point, a, flip[a]),
              bit(y0, a) ^ bit(y1, a),
              "n = " + n + ", x = " + point + ", α = " + a);
        }
      }
    }
  }

  /**
   * 10^6 random 64-bit points (the first batch: every pair of edge values and {@code α − 1, α, α +
   * 1} around random thresholds, wrapping past 0 and 2^64 − 1), and the widths the FSS ReLU uses
   * (62-bit signs, 16-bit borrows).
   */
  @Test
  void aMillionRandomPointsAtTheWidthsInUse() {
    SplittableRandom rnd = new SplittableRandom(20261201L);
    int batch = 1 << 16;
    long mismatches = 0;
    long checked = 0;
    for (int n : new int[] {64, 62, 16}) {
      for (int round = 0; round < (n == 64 ? 16 : 2); round++) {
        long[] alpha = new long[batch];
        long[] x = new long[batch];
        DcfTest.uniformPoints(rnd, n, round == 0, alpha, x);
        long[] flip = flips(dealerRng, batch);
        BitDcfKeys[] keys = BitDcf.generate(n, alpha, flip, dealerRng);
        long[] y0 = BitDcf.evaluate(keys[0], x, RingThreads.shared());
        long[] y1 = BitDcf.evaluate(keys[1], x, RingThreads.shared());
        for (int k = 0; k < batch; k++) {
          if ((bit(y0, k) ^ bit(y1, k)) != expected(x[k], alpha[k], flip[k])) {
            mismatches++;
          }
        }
        checked += batch;
      }
    }
    assertEquals(0, mismatches, "bit-DCF outputs that do not reconstruct to [x < α] ⊕ φ");
    assertEquals(16 * batch + 4L * batch, checked);
  }

  /** Every width 1..64 (a leaf alone up to 7), small odd batches, several draws each. */
  @Test
  void everyWidthAgreesOnRandomPoints() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int draw = 0; draw < 4; draw++) {
      for (int n = 1; n <= 64; n++) {
        int count = 1 + rnd.nextInt(100);
        long[] alpha = new long[count];
        long[] x = new long[count];
        DcfTest.randomPoints(rnd, n, alpha, x);
        BitDcfKeys[] keys = BitDcf.generate(n, alpha, null, dealerRng);
        long[] y0 = BitDcf.evaluate(keys[0], x, new BitDcf.Aes());
        long[] y1 = BitDcf.evaluate(keys[1], x, new BitDcf.Aes());
        for (int k = 0; k < count; k++) {
          assertEquals(
              expected(x[k], alpha[k], 0),
              bit(y0, k) ^ bit(y1, k),
              "n = " + n + ", draw " + draw + ", key " + k);
        }
      }
    }
  }

  @Test
  void oneCipherCallOfOneBlockAKeyPerLevel() {
    long[] alpha = new long[5000];
    for (int k = 0; k < alpha.length; k++) {
      alpha[k] = dealerRng.nextLong() >>> 2;
    }
    BitDcfKeys[] keys = BitDcf.generate(62, alpha, null, dealerRng);
    BitDcf.Aes aes = new BitDcf.Aes();
    long[] x = new long[5000];
    BitDcf.evaluate(keys[0], x, aes);
    assertEquals(56 * 3, aes.calls(), "55 inner levels and the leaf, one call each per 2048 keys");
    assertEquals(56, BitDcfKeys.blocksPerKey(62));
    assertEquals(896, BitDcfKeys.bytesPerKey(62));
    assertEquals(640, BitDcfKeys.bytesPerKey(46));
    assertEquals(160, BitDcfKeys.bytesPerKey(16));
    assertEquals(16, BitDcfKeys.bytesPerKey(7));
    assertEquals(16, BitDcfKeys.bytesPerKey(1));
    assertEquals(5000L * 896, keys[1].wireBytes());
  }

  /** Over a pool (uneven blocks), the outputs equal the one-thread walk word for word. */
  @Test
  void parallelBlocksGiveTheSameBitsAsOneThread() {
    int count = 3 * BitDcf.GRAIN + 7;
    try (RingThreads pool = new RingThreads(3)) {
      long[] alpha = dealerRng.nextLongs(count);
      BitDcfKeys[] keys = BitDcf.generate(64, alpha, flips(dealerRng, count), dealerRng);
      long[] x = dealerRng.nextLongs(count);
      for (BitDcfKeys k : keys) {
        assertArrayEquals(BitDcf.evaluate(k, x, new BitDcf.Aes()), BitDcf.evaluate(k, x, pool));
      }
    }
  }

  /** The correction blocks and each party's roots rebuild keys that evaluate identically. */
  @Test
  void keysRebuiltFromTheirCorrectionWordsAgree() {
    int count = 100;
    long[] alpha = new long[count];
    for (int k = 0; k < count; k++) {
      alpha[k] = dealerRng.nextLong() & 0xFFFF;
    }
    long[] lo0 = dealerRng.nextLongs(count);
    long[] hi0 = dealerRng.nextLongs(count);
    long[] lo1 = dealerRng.nextLongs(count);
    long[] hi1 = dealerRng.nextLongs(count);
    BitDcfKeys[] keys = BitDcf.generate(16, alpha, null, lo0.clone(), hi0, lo1.clone(), hi1);
    long[] words = keys[0].correctionWords();
    long[] padded = new long[words.length + 3];
    System.arraycopy(words, 0, padded, 3, words.length);
    BitDcfKeys again = BitDcfKeys.fromCorrections(16, 1, lo1, hi1, padded, 3);
    long[] x = dealerRng.nextLongs(count);
    for (int k = 0; k < count; k++) {
      x[k] &= 0xFFFF;
    }
    assertArrayEquals(
        BitDcf.evaluate(keys[1], x, new BitDcf.Aes()), BitDcf.evaluate(again, x, new BitDcf.Aes()));
    assertThrows(
        IllegalArgumentException.class,
        () -> BitDcfKeys.fromCorrections(16, 1, lo1, hi1, padded, 4));
  }

  @Test
  void refusesValuesWiderThanTheKeyAndNonBitFlips() {
    BitDcfKeys[] keys = BitDcf.generate(8, new long[] {3}, null, dealerRng);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BitDcf.evaluate(keys[0], new long[] {256}, new BitDcf.Aes()));
    assertEquals("DCF point 256 does not fit in 8 bits", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> BitDcf.generate(8, new long[] {1}, new long[] {2}, dealerRng));
    assertThrows(
        IllegalArgumentException.class, () -> BitDcf.generate(65, new long[] {1}, null, dealerRng));
  }
}
