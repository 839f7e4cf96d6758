package org.polyshare.core.fss;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;

/**
 * Each DCF key alone is independent of the threshold. For two thresholds as different as possible
 * (0 and 2^n − 1: every bit differs) the test draws K keys each and, for every bit position of a
 * key (root seed, every level's correction words, the leaf word; the seeds' constant low bit
 * excluded), compares the frequency of ones between the two groups with the two-proportion
 * chi-square {@code (c_A − c_B)² / (2K·p̂(1 − p̂))}; also each group's frequency against 1/2 with
 * {@code (2c − K)²/K}. If a key is uniform whatever α is, each term is asymptotically χ²(1) and
 * independent of the others, so a sum over m positions is χ²(m); the test rejects above the χ²(m)
 * quantile of 1 − 10^-9 (Wilson–Hilferty, z = 6.0): 10^-9 per sum, eighteen sums (three key shapes
 * — 16 and 64 bits scalar, 40 bits with a payload (1, α) — two parties, one two-sample and two
 * uniformity sums each) and twelve for the FSS ReLU's bit-DCF keys (16 and 62 bits), so a false
 * alarm about once in 3·10^7 runs. The test is on marginal bit frequencies: that is what a leak of
 * threshold bits into key bits shows up as. The same statistic on a key that leaks even ONE bit of
 * α (or the unmasked control-bit corrections of a broken generator) exceeds it by far.
 */
class DcfKeyPrivacyTest {
  private static final int K = 4000;
  private static final double Z = 6.0;

  /** Party {@code party}'s key {@code k} of a batch as bits, constant low seed bits dropped. */
  private static boolean[] keyBits(DcfKeys keys, int k) {
    int n = keys.bits;
    int count = keys.count;
    int w = keys.width;
    boolean[] out = new boolean[127 + n * (127 + 64 * w + 2) + 64 * w];
    int p = 0;
    p = put(out, p, keys.rootLo[k] >>> 1, 63);
    p = put(out, p, keys.rootHi[k], 64);
    for (int level = 0; level < n; level++) {
      int j = level * count + k;
      p = put(out, p, keys.cwSeedLo[j] >>> 1, 63);
      p = put(out, p, keys.cwSeedHi[j], 64);
      for (int e = 0; e < w; e++) {
        p = put(out, p, keys.cwValue[j * w + e], 64);
      }
      p = put(out, p, keys.cwT[j >>> 5] >>> ((j & 31) << 1), 2);
    }
    for (int e = 0; e < w; e++) {
      p = put(out, p, keys.cwFinal[k * w + e], 64);
    }
    if (p != out.length) {
      throw new AssertionError("key bit layout: " + p + " of " + out.length);
    }
    return out;
  }

  private static int put(boolean[] out, int p, long word, int bits) {
    for (int i = 0; i < bits; i++) {
      out[p++] = ((word >>> i) & 1) != 0;
    }
    return p;
  }

  /**
   * Ones per bit position over the K keys of {@code keys}, optionally corrupted by {@code leak}.
   */
  private static long[] ones(DcfKeys keys, long alpha, Leak leak) {
    return ones(keys.count, k -> keyBits(keys, k), alpha, keys.bits, leak);
  }

  private static long[] ones(
      int count, java.util.function.IntFunction<boolean[]> bitsOf, long alpha, int n, Leak leak) {
    long[] c = null;
    for (int k = 0; k < count; k++) {
      boolean[] b = bitsOf.apply(k);
      leak.apply(b, alpha, n);
      if (c == null) {
        c = new long[b.length];
      }
      for (int i = 0; i < b.length; i++) {
        if (b[i]) {
          c[i]++;
        }
      }
    }
    return c;
  }

  interface Leak {
    void apply(boolean[] keyBits, long alpha, int n);
  }

  private static final Leak NONE = (b, alpha, n) -> {};

  /** The χ²(m) quantile at 1 − 10^-9, Wilson–Hilferty. */
  private static double limit(int m) {
    double a = 2.0 / (9.0 * m);
    return m * Math.pow(1 - a + Z * Math.sqrt(a), 3);
  }

  private static double twoSample(long[] a, long[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double pooled = (a[i] + b[i]) / (2.0 * K);
      double d = a[i] - b[i];
      s += d * d / (2.0 * K * pooled * (1 - pooled));
    }
    return s;
  }

  private static double uniform(long[] a) {
    double s = 0;
    for (long c : a) {
      double d = 2.0 * c - K;
      s += d * d / K;
    }
    return s;
  }

  private static double worstRatio(int n, Leak leak, Prg rng) {
    return worstRatio(n, 1, leak, rng);
  }

  /**
   * Max of the statistics over the limit (≤ 1 means "looks independent of α"). Width 2 carries the
   * FSS ReLU's payload {@code (1, α)}: a secret payload tied to the threshold.
   */
  private static double worstRatio(int n, int width, Leak leak, Prg rng) {
    long alphaA = 0;
    long alphaB = n == 64 ? -1L : (1L << n) - 1;
    long[] a = new long[K];
    long[] b = new long[K];
    Arrays.fill(a, alphaA);
    Arrays.fill(b, alphaB);
    DcfKeys[] ka = Dcf.generate(n, width, a, payload(a, width), rng);
    DcfKeys[] kb = Dcf.generate(n, width, b, payload(b, width), rng);
    double worst = 0;
    for (int party = 0; party < 2; party++) {
      long[] ca = ones(ka[party], alphaA, leak);
      long[] cb = ones(kb[party], alphaB, leak);
      String what = String.format("n = %d, width %d, party %d", n, width, party);
      worst = Math.max(worst, ratio(what, ca, cb));
    }
    return worst;
  }

  /**
   * The larger of the two-sample and the uniformity statistic of the key-bit counts {@code ca} (α =
   * A) and {@code cb} (α = B), over their limit; printed with {@code what}.
   */
  private static double ratio(String what, long[] ca, long[] cb) {
    double lim = limit(ca.length);
    double t = twoSample(ca, cb);
    double u = Math.max(uniform(ca), uniform(cb));
    System.out.printf(
        "%s: %d key bits, two-sample χ² %.0f, uniformity χ² %.0f, limit %.0f%n",
        what, ca.length, t, u, lim);
    return Math.max(t, u) / lim;
  }

  /** Width 1: all ones; width 2: {@code (1, α)}, as the FSS ReLU's {@code (1, r)}. */
  private static long[] payload(long[] alpha, int width) {
    long[] p = new long[alpha.length * width];
    for (int k = 0; k < alpha.length; k++) {
      p[k * width] = 1;
      if (width == 2) {
        p[k * width + 1] = alpha[k];
      }
    }
    return p;
  }

  /** A bit-DCF key as bits: its root (the four constant low bits dropped), every block. */
  private static boolean[] bitKeyBits(BitDcfKeys keys, int k) {
    int per = 2;
    int levels = BitDcfKeys.innerLevels(keys.bits) + 1;
    boolean[] out = new boolean[124 + levels * per * 64];
    int p = put(out, 0, keys.rootLo[k] >>> 4, 60);
    p = put(out, p, keys.rootHi[k], 64);
    for (int level = 0; level < levels; level++) {
      int j = keys.cwOffset + BitDcfKeys.blockIndex(levels - 1, keys.count, level, k);
      for (int i = 0; i < per; i++) {
        p = put(out, p, keys.cw[j + i], 64);
      }
    }
    return out;
  }

  /**
   * As {@link #worstRatio(int, int, Leak, Prg)} for bit-DCF keys: threshold 0 with flip 0 against
   * threshold 2^n − 1 with flip 1, so the secret flip is tested too.
   */
  private static double worstRatioBit(int n, Leak leak, Prg rng) {
    long alphaA = 0;
    long alphaB = n == 64 ? -1L : (1L << n) - 1;
    long[] a = new long[K];
    long[] b = new long[K];
    long[] ones = new long[K];
    Arrays.fill(a, alphaA);
    Arrays.fill(b, alphaB);
    Arrays.fill(ones, 1L);
    BitDcfKeys[] ka = BitDcf.generate(n, a, null, rng);
    BitDcfKeys[] kb = BitDcf.generate(n, b, ones, rng);
    double worst = 0;
    for (int party = 0; party < 2; party++) {
      BitDcfKeys pa = ka[party];
      BitDcfKeys pb = kb[party];
      long[] ca = ones(K, k -> bitKeyBits(pa, k), alphaA, n, leak);
      long[] cb = ones(K, k -> bitKeyBits(pb, k), alphaB, n, leak);
      worst = Math.max(worst, ratio(String.format("bit DCF n = %d, party %d", n, party), ca, cb));
    }
    return worst;
  }

  /**
   * The FSS ReLU's keys (bit DCF at 16 and 62 bits): independent of threshold and flip; twelve more
   * sums at 10^-9 each. And the statistic has power on them: the low bit of the last block replaced
   * by α's top bit is caught.
   */
  @Test
  void eachBitDcfKeyAloneIsIndependentOfThresholdAndFlip() {
    Prg rng = new Prg(Seed.random());
    for (int n : new int[] {16, 62}) {
      double r = worstRatioBit(n, NONE, rng);
      assertTrue(r <= 1, "bit DCF n = " + n + ": key bits depend on α or φ (" + r + " x limit)");
    }
    Leak oneBit = (b, alpha, n) -> b[b.length - 64] = ((alpha >>> (n - 1)) & 1) != 0;
    assertTrue(worstRatioBit(16, oneBit, rng) > 1, "a one-bit leak went unnoticed");
  }

  @Test
  void eachKeyAloneIsIndependentOfTheThreshold() {
    Prg rng = new Prg(Seed.random());
    for (int[] nw : new int[][] {{16, 1}, {64, 1}, {40, 2}}) {
      double r = worstRatio(nw[0], nw[1], NONE, rng);
      assertTrue(
          r <= 1,
          "n = "
              + nw[0]
              + ", width "
              + nw[1]
              + ": a key's bits depend on the"
              + " threshold (statistic "
              + r
              + " x the 1e-9 limit)");
    }
  }

  /** The test has power: one leaked threshold bit, or unmasked t-corrections, are caught. */
  @Test
  void aKeyLeakingThresholdBitsFailsTheTest() {
    Prg rng = new Prg(Seed.random());
    // One bit: the leaf word's low bit replaced by the threshold's top bit. (XORing it in instead
    // would be no leak at all: a uniform bit XOR a constant is a one-time pad.)
    Leak oneBit = (b, alpha, n) -> b[b.length - 64] = ((alpha >>> (n - 1)) & 1) != 0;
    assertTrue(worstRatio(16, oneBit, rng) > 1, "a one-bit leak went unnoticed");
    // A generator that forgets to mask the control-bit corrections: t_CW^L = a ⊕ 1, t_CW^R = a.
    Leak unmaskedT =
        (b, alpha, n) -> {
          int p = 127;
          for (int level = 0; level < n; level++) {
            p += 127 + 64;
            boolean a = ((alpha >>> (n - 1 - level)) & 1) != 0;
            b[p] = !a;
            b[p + 1] = a;
            p += 2;
          }
        };
    assertTrue(worstRatio(16, unmaskedT, rng) > 1, "unmasked t-corrections went unnoticed");
  }
}
