package org.polyshare.core.fss;

import static org.polyshare.core.prg.FixedKeyAes.LONGS;

import java.nio.charset.StandardCharsets;
import org.polyshare.core.prg.FixedKeyAes;

/**
 * The DCF tree's PRG, {@code G(s) = (s_L, t_L, s_R, t_R, v_L, v_R)}, from one fixed public AES-128
 * permutation π in Matyas–Meyer–Oseas form: block {@code j} of {@code G(s)} is {@code π(s ⊕ j) ⊕ (s
 * ⊕ j)}, the correlation-robust hash of the tweaked seed (Guo, Katz, Wang, Yu, S&P 2020). A node
 * seed is 127 bits: the low bit of its low word is always 0, so the inputs {@code s ⊕ j} are
 * distinct. Block 0 is the left child (its low bit is {@code t_L}, the rest {@code s_L}), block 1
 * the right child, block {@code 2 + e} the e-th 64-bit values {@code v_L} (low word) and {@code
 * v_R} (high word) — one value block for a scalar payload.
 *
 * <p>One {@link #expand} call expands a whole level of a batch in ONE cipher call of {@code (2 +
 * width)·count} blocks: HotSpot's AES-NI path is ~30x faster on large calls than on one block per
 * call. Blocks are little-endian: low word at byte {@code 16i}, high word at {@code 16i + 8}. Not
 * thread-safe.
 */
final class TreePrg {
  /** Public and constant (a different constant from the garbling hash: domain separation). */
  private static final byte[] KEY = "PolyShare DCF pi".getBytes(StandardCharsets.US_ASCII);

  private final FixedKeyAes pi = new FixedKeyAes(KEY);
  private byte[] in = new byte[0];
  private byte[] out = new byte[0];

  /** AES calls made so far (one per {@link #expand}); tests and reports read it. */
  private long cipherCalls;

  /** Width-1 {@link #expand(long[], long[], int, long[], long[], long[], int)}. */
  void expand(long[] lo, long[] hi, int count, long[] childLo, long[] childHi, long[] v) {
    expand(lo, hi, count, childLo, childHi, v, 1);
  }

  /**
   * Expands seeds {@code (lo[k], hi[k])}, {@code k < count} (low bit of {@code lo[k]} zero), in one
   * cipher call of {@code (2 + width)·count} blocks. Child {@code c ∈ {0 = L, 1 = R}} of seed k
   * lands at index {@code 2k + c} of {@code childLo} (with {@code t_c} in its low bit) and {@code
   * childHi}; its value word e at {@code (2k + c)·width + e} of {@code v}, from block {@code 2 + e}
   * (low word for L, high word for R).
   */
  void expand(
      long[] lo, long[] hi, int count, long[] childLo, long[] childHi, long[] v, int width) {
    int per = 2 + width;
    byte[] o = encrypt(lo, hi, count, 0, per);
    for (int k = 0, p = 0; k < count; k++, p += 16 * per) {
      long l = lo[k];
      long h = hi[k];
      childLo[2 * k] = (long) LONGS.get(o, p) ^ l;
      childHi[2 * k] = (long) LONGS.get(o, p + 8) ^ h;
      childLo[2 * k + 1] = (long) LONGS.get(o, p + 16) ^ l ^ 1L;
      childHi[2 * k + 1] = (long) LONGS.get(o, p + 24) ^ h;
      for (int e = 0; e < width; e++) {
        int b = p + 32 + 16 * e;
        long tweak = l ^ (2L + e);
        v[2 * k * width + e] = (long) LONGS.get(o, b) ^ tweak;
        v[(2 * k + 1) * width + e] = (long) LONGS.get(o, b + 8) ^ h;
      }
    }
  }

  /**
   * {@code words} further pseudorandom words per leaf seed (the DCF's {@code Conv} beyond the high
   * word), from blocks {@code s ⊕ 2, s ⊕ 3, …} (two words each) in one cipher call; word e of seed
   * k at {@code k·words + e}. A leaf seed is never expanded as a parent, so these are fresh.
   */
  long[] leafWords(long[] lo, long[] hi, int count, int words) {
    int per = (words + 1) / 2;
    byte[] o = encrypt(lo, hi, count, 2, per);
    long[] out = new long[count * words];
    for (int k = 0, p = 0; k < count; k++, p += 16 * per) {
      for (int e = 0; e < words; e++) {
        int b = p + 16 * (e >>> 1);
        out[k * words + e] =
            (e & 1) == 0
                ? (long) LONGS.get(o, b) ^ lo[k] ^ (2L + (e >>> 1))
                : (long) LONGS.get(o, b + 8) ^ hi[k];
      }
    }
    return out;
  }

  /** π of the tweaked seeds {@code s ⊕ (from + i)}, {@code i < per}, for all seeds: one call. */
  private byte[] encrypt(long[] lo, long[] hi, int count, int from, int per) {
    int bytes = count * 16 * per;
    if (in.length < bytes) {
      in = new byte[bytes];
      out = new byte[bytes];
    }
    for (int k = 0, p = 0; k < count; k++) {
      long l = lo[k];
      long h = hi[k];
      for (int i = 0; i < per; i++, p += 16) {
        LONGS.set(in, p, l ^ (from + i));
        LONGS.set(in, p + 8, h);
      }
    }
    pi.permute(in, out, bytes >>> 4);
    cipherCalls++;
    return out;
  }

  long cipherCalls() {
    return cipherCalls;
  }
}
