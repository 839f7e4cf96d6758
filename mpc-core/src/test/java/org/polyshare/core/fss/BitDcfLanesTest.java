package org.polyshare.core.fss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;

/** The Vector API level pass ({@link BitDcfLanes}) gives the scalar pass's bits, bit for bit. */
class BitDcfLanesTest {
  private final Prg dealerRng = new Prg(Seed.random());

  private static long bit(long[] words, int k) {
    return BitDcfTest.bit(words, k);
  }

  private long[] bitsOf(int count) {
    return BitDcfTest.flips(dealerRng, count);
  }

  @Test
  void theVectorModuleIsThere() {
    assertTrue(BitDcfLanes.lanes() >= 2, "the test JVM runs with jdk.incubator.vector");
  }

  /**
   * On JDK 17, the API the lanes are written against, the probe's one level runs, so {@link BitDcf}
   * takes the vector pass wherever there are 4 lanes (a later JDK's API may fail the probe with a
   * {@link LinkageError}, and the scalar pass runs).
   */
  @Test
  void theProbeRunsOnJdk17sVectorApi() {
    assumeTrue(Runtime.version().feature() == 17, "the lanes are written against JDK 17's API");
    assertTrue(BitDcfLanes.links(), "the vector pass links on JDK 17");
    boolean forcedScalar =
        "scalar".equalsIgnoreCase(System.getProperty("polyshare.kernels", "").trim());
    assertEquals(BitDcfLanes.lanes() >= 4 && !forcedScalar, BitDcf.LANES);
  }

  /** The vector pass links on JDK 17 (the test above); a later JDK's API may lack its loads. */
  private static void assumeVectorPassLinks() {
    assumeTrue(
        BitDcfLanes.links(), "this JDK's incubating Vector API lacks JDK 17's byte-array loads");
  }

  /**
   * Widths from the leaf alone to 64 bits; counts that fill no whole vector, leave a scalar tail,
   * or span several walks of {@link BitDcf#GRAIN} keys; thresholds and points near both ends.
   */
  @Test
  void vectorEqualsScalarBitForBit() {
    assumeVectorPassLinks();
    SplittableRandom rng = new SplittableRandom(14);
    for (int bits : new int[] {1, 7, 8, 9, 16, 30, 46, 62, 64}) {
      for (int count : new int[] {1, 3, 5, 64, 2 * BitDcf.GRAIN + 3}) {
        long range = bits == 64 ? -1L : (1L << bits) - 1;
        long[] alpha = new long[count];
        long[] x = new long[count];
        for (int k = 0; k < count; k++) {
          alpha[k] = rng.nextLong() & range;
          x[k] = (k % 3 == 0 ? alpha[k] - 1 + (k % 2) : rng.nextLong()) & range;
        }
        long[] flip = bitsOf(count);
        BitDcfKeys[] keys = BitDcf.generate(bits, alpha, flip, dealerRng);
        for (int b = 0; b < 2; b++) {
          long[] scalar = BitDcf.evaluate(keys[b], x, new BitDcf.Aes(), false);
          long[] vector = BitDcf.evaluate(keys[b], x, new BitDcf.Aes(), true);
          assertArrayEquals(scalar, vector, bits + " bits, " + count + " keys, party " + b);
        }
        long[] y0 = BitDcf.evaluate(keys[0], x, new BitDcf.Aes(), true);
        long[] y1 = BitDcf.evaluate(keys[1], x, new BitDcf.Aes(), true);
        for (int k = 0; k < count; k++) {
          long want = (Long.compareUnsigned(x[k], alpha[k]) < 0 ? 1L : 0L) ^ flip[k];
          assertEquals(want, bit(y0, k) ^ bit(y1, k), bits + " bits, key " + k);
        }
      }
    }
  }

  /** n = 8, every threshold and every point, on the vector pass. */
  @Test
  void exhaustiveEightBits() {
    assumeVectorPassLinks();
    int size = 256;
    long[] alpha = new long[size];
    for (int a = 0; a < size; a++) {
      alpha[a] = a;
    }
    long[] flip = bitsOf(size);
    BitDcfKeys[] keys = BitDcf.generate(8, alpha, flip, dealerRng);
    long[] x = new long[size];
    for (int point = 0; point < size; point++) {
      Arrays.fill(x, point);
      long[] y0 = BitDcf.evaluate(keys[0], x, new BitDcf.Aes(), true);
      long[] y1 = BitDcf.evaluate(keys[1], x, new BitDcf.Aes(), true);
      for (int a = 0; a < size; a++) {
        long want = (point < a ? 1L : 0L) ^ flip[a];
        assertEquals(want, bit(y0, a) ^ bit(y1, a), "x = " + point + ", α = " + a);
      }
    }
  }

  /** Keys decoded in place from a longer message at an offset evaluate like the dealer's. */
  @Test
  void keysUsedInPlaceAtAnOffset() {
    assumeVectorPassLinks();
    int count = 100;
    long[] alpha = dealerRng.nextLongs(count);
    long[] lo = dealerRng.nextLongs(count);
    long[] hi = dealerRng.nextLongs(count);
    long[] lo0 = dealerRng.nextLongs(count);
    long[] hi0 = dealerRng.nextLongs(count);
    for (int k = 0; k < count; k++) {
      alpha[k] &= (1L << 40) - 1;
    }
    BitDcfKeys[] keys = BitDcf.generate(40, alpha, null, lo0, hi0, lo.clone(), hi.clone());
    long[] cw = keys[1].correctionWords();
    long[] message = new long[cw.length + 5];
    System.arraycopy(cw, 0, message, 5, cw.length);
    BitDcfKeys decoded = BitDcfKeys.fromCorrections(40, 1, lo, hi, message, 5);
    assertEquals(keys[1].wireBytes(), decoded.wireBytes());
    assertArrayEquals(cw, decoded.correctionWords());
    long[] x = dealerRng.nextLongs(count);
    for (int k = 0; k < count; k++) {
      x[k] &= (1L << 40) - 1;
    }
    for (boolean lanes : new boolean[] {false, true}) {
      assertArrayEquals(
          BitDcf.evaluate(keys[1], x, new BitDcf.Aes(), lanes),
          BitDcf.evaluate(decoded, x, new BitDcf.Aes(), lanes));
    }
  }

  /**
   * The layout indexes every block of a batch exactly once: blocks of {@link BitDcf#GRAIN} keys,
   * the last one short, level-major inside.
   */
  @Test
  void layoutIsABijection() {
    for (int count : new int[] {1, 5, BitDcf.GRAIN, 2 * BitDcf.GRAIN + 7}) {
      int inner = 9;
      boolean[] seen = new boolean[BitDcfKeys.correctionLength(16, count) / 2];
      for (int k = 0; k < count; k++) {
        for (int level = 0; level <= inner; level++) {
          int j = BitDcfKeys.blockIndex(inner, count, level, k);
          assertEquals(0, j & 1, "a block starts at an even long");
          assertTrue(!seen[j >>> 1], "block (" + level + ", " + k + ") of " + count + " reused");
          seen[j >>> 1] = true;
        }
      }
      int last = count - 1;
      assertEquals(
          (last + 1) * 2 * (inner + 1) - 2, BitDcfKeys.blockIndex(inner, count, inner, last));
    }
  }
}
