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
 * the right child. The 64-bit values: for a scalar payload block 2 holds {@code v_L} (low word) and
 * {@code v_R} (high word); for width w ≥ 2 child c's w words fill their own {@code h = ⌈w/2⌉}
 * blocks {@code 2 + c·h, …}, two words a block, so that the walk down one child ({@link
 * #expandChild}) needs {@code 1 + h} blocks of its node, not all {@code 2 + 2h}: 2 of 4 for the
 * ReLU's width 2, half the AES of the evaluation.
 *
 * <p>One call expands a whole level of a batch in ONE cipher call: HotSpot's AES-NI path is ~30x
 * faster on large calls than on one block per call. Blocks are little-endian: low word at byte
 * {@code 16i}, high word at {@code 16i + 8}. Not thread-safe: one per thread.
 */
final class TreePrg {
  /** Public and constant (a different constant from the garbling hash: domain separation). */
  private static final byte[] KEY = "PolyShare DCF pi".getBytes(StandardCharsets.US_ASCII);

  private final FixedKeyAes pi = new FixedKeyAes(KEY);
  private byte[] in = new byte[0];
  private byte[] out = new byte[0];

  /** AES calls made so far (one per expansion); tests and reports read it. */
  private long cipherCalls;

  /** Width-1 {@link #expand(long[], long[], int, long[], long[], long[], int)}. */
  void expand(long[] lo, long[] hi, int count, long[] childLo, long[] childHi, long[] v) {
    expand(lo, hi, count, childLo, childHi, v, 1);
  }

  /** Value blocks of one child at width w ≥ 2 (a scalar payload shares block 2 between both). */
  private static int half(int width) {
    return (width + 1) >>> 1;
  }

  /** The block holding child c's value word e, and (low bit) which word of it. */
  private static int valueSlot(int c, int e, int width) {
    return width == 1 ? (2 << 1) | c : (2 + c * half(width) + (e >>> 1)) << 1 | (e & 1);
  }

  /**
   * Expands seeds {@code (lo[k], hi[k])}, {@code k < count} (low bit of {@code lo[k]} zero), both
   * children, in one cipher call (the dealer's generation). Child {@code c ∈ {0 = L, 1 = R}} of
   * seed k lands at index {@code 2k + c} of {@code childLo} (with {@code t_c} in its low bit) and
   * {@code childHi}; its value word e at {@code (2k + c)·width + e} of {@code v}.
   */
  void expand(
      long[] lo, long[] hi, int count, long[] childLo, long[] childHi, long[] v, int width) {
    int per = width == 1 ? 3 : 2 + 2 * half(width);
    byte[] o = encrypt(lo, hi, count, 0, per);
    for (int k = 0, p = 0; k < count; k++, p += 16 * per) {
      long l = lo[k];
      long h = hi[k];
      for (int c = 0; c < 2; c++) {
        childLo[2 * k + c] = (long) LONGS.get(o, p + 16 * c) ^ l ^ c;
        childHi[2 * k + c] = (long) LONGS.get(o, p + 16 * c + 8) ^ h;
        for (int e = 0; e < width; e++) {
          int slot = valueSlot(c, e, width);
          int block = slot >>> 1;
          v[(2 * k + c) * width + e] =
              (slot & 1) == 0
                  ? (long) LONGS.get(o, p + 16 * block) ^ l ^ block
                  : (long) LONGS.get(o, p + 16 * block + 8) ^ h;
        }
      }
    }
  }

  /**
   * The walk of the evaluation: for seed k, only child {@code c_k = (x[xFrom + k] >>> pos) & 1}, in
   * one cipher call of {@code (1 + value blocks)·count} blocks. Its seed (with t in the low bit)
   * lands at {@code childLo[k], childHi[k]}, its value word e at {@code v[k·width + e]}; the same
   * words as {@link #expand} gives for that child.
   */
  void expandChild(
      long[] lo,
      long[] hi,
      long[] x,
      int xFrom,
      int pos,
      int count,
      long[] childLo,
      long[] childHi,
      long[] v,
      int width) {
    int vb = width == 1 ? 1 : half(width);
    int per = 1 + vb;
    int bytes = count * 16 * per;
    ensure(bytes);
    byte[] in = this.in;
    for (int k = 0, p = 0; k < count; k++) {
      long l = lo[k];
      long h = hi[k];
      int c = (int) (x[xFrom + k] >>> pos) & 1;
      int first = width == 1 ? 2 : 2 + c * vb;
      LONGS.set(in, p, l ^ c);
      LONGS.set(in, p + 8, h);
      p += 16;
      for (int b = 0; b < vb; b++, p += 16) {
        LONGS.set(in, p, l ^ (first + b));
        LONGS.set(in, p + 8, h);
      }
    }
    byte[] o = permute(bytes);
    for (int k = 0, p = 0; k < count; k++, p += 16 * per) {
      long l = lo[k];
      long h = hi[k];
      int c = (int) (x[xFrom + k] >>> pos) & 1;
      childLo[k] = (long) LONGS.get(o, p) ^ l ^ c;
      childHi[k] = (long) LONGS.get(o, p + 8) ^ h;
      if (width == 1) {
        v[k] = c == 0 ? (long) LONGS.get(o, p + 16) ^ l ^ 2 : (long) LONGS.get(o, p + 24) ^ h;
        continue;
      }
      int first = 2 + c * vb;
      for (int e = 0; e < width; e++) {
        int b = p + 16 + 16 * (e >>> 1);
        v[k * width + e] =
            (e & 1) == 0
                ? (long) LONGS.get(o, b) ^ l ^ (first + (e >>> 1))
                : (long) LONGS.get(o, b + 8) ^ h;
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
    ensure(bytes);
    for (int k = 0, p = 0; k < count; k++) {
      long l = lo[k];
      long h = hi[k];
      for (int i = 0; i < per; i++, p += 16) {
        LONGS.set(in, p, l ^ (from + i));
        LONGS.set(in, p + 8, h);
      }
    }
    return permute(bytes);
  }

  /** Buffers of at least {@code bytes}, grown (never shrunk) so a level allocates nothing. */
  private void ensure(int bytes) {
    if (in.length < bytes) {
      in = new byte[bytes];
      out = new byte[bytes];
    }
  }

  private byte[] permute(int bytes) {
    pi.permute(in, out, bytes >>> 4);
    cipherCalls++;
    return out;
  }

  long cipherCalls() {
    return cipherCalls;
  }
}
