package org.polyshare.core.fss;

/**
 * One party's {@link BitDcf} keys for a batch of {@code count} comparisons on {@code bits}-bit
 * inputs, as flat primitive arrays:
 *
 * <ul>
 *   <li>{@code rootLo, rootHi} [count]: the party's 124-bit root seed (low four bits of {@code
 *       rootLo} 0); drawn from the party's own dealer seed, never sent;
 *   <li>{@code cw} [(inner + 1)·count·2]: per inner level (one input bit each, {@code inner = bits
 *       − min(bits, 7)}) and key one 128-bit correction block (low word, high word): bits 4–127
 *       correct the seed, bits {@code 2c, 2c + 1} child c's control and output bits; then the leaf
 *       block (level {@code inner}), one output correction bit per value of the low {@code
 *       min(bits, 7)} input bits. Blocked by {@link BitDcf#GRAIN} keys, level-major inside a block
 *       ({@link #blockIndex}): an evaluation walk over one block reads one level's blocks
 *       contiguously and the whole walk one contiguous run of memory (one stream for the
 *       prefetcher, not one per level).
 * </ul>
 *
 * The correction blocks depend on both parties' seeds and on the threshold: they are what the
 * dealer sends, the same to both parties, {@code 16·(inner + 1)} bytes a key (896 B at 62 bits, 640
 * B at 46, 160 B at 16).
 */
public final class BitDcfKeys {
  final int bits;
  final int party;
  final int count;
  final long[] rootLo;
  final long[] rootHi;
  final long[] cw;

  /** Where this batch's blocks start in {@link #cw} (a decoded message is used in place). */
  final int cwOffset;

  BitDcfKeys(int bits, int party, int count, long[] rootLo, long[] rootHi, long[] cw) {
    this(bits, party, count, rootLo, rootHi, cw, 0);
    if (cw.length != correctionLength(bits, count)) {
      throw new IllegalArgumentException(
          "bit-DCF key arrays do not match " + count + " keys of " + bits + " bits");
    }
  }

  private BitDcfKeys(
      int bits, int party, int count, long[] rootLo, long[] rootHi, long[] cw, int cwOffset) {
    checkShape(bits, party, count);
    if (rootLo.length != count
        || rootHi.length != count
        || cwOffset < 0
        || (long) cwOffset + correctionLength(bits, count) > cw.length) {
      throw new IllegalArgumentException(
          "bit-DCF key arrays do not match " + count + " keys of " + bits + " bits");
    }
    this.bits = bits;
    this.party = party;
    this.count = count;
    this.rootLo = rootLo;
    this.rootHi = rootHi;
    this.cw = cw;
    this.cwOffset = cwOffset;
  }

  static void checkShape(int bits, int party, int count) {
    if (bits < 1 || bits > 64) {
      throw new IllegalArgumentException("DCF input width must be in [1, 64] bits, got " + bits);
    }
    if (party != 0 && party != 1) {
      throw new IllegalArgumentException("DCF key party must be 0 or 1, got " + party);
    }
    if (count < 0 || 2L * (innerLevels(bits) + 1) * count > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "bit-DCF batch of " + count + " keys of " + bits + " bits is too large");
    }
  }

  /** Input bits resolved by the leaf block: {@code min(bits, 7)}. */
  static int leafBits(int bits) {
    return Math.min(bits, BitDcf.LEAF_BITS);
  }

  /** Binary tree levels above the leaf, one input bit each. */
  static int innerLevels(int bits) {
    return bits - leafBits(bits);
  }

  /**
   * Index in {@code cw} of key k's block at {@code level} ({@code inner} = the leaf) in a batch of
   * {@code count} keys with {@code inner} inner levels: block {@code b = k / GRAIN} of {@code m_b =
   * min(GRAIN, count − b·GRAIN)} keys starts at {@code b·GRAIN·(inner + 1)·2}, and inside it key
   * {@code i = k mod GRAIN} of level l sits at {@code (l·m_b + i)·2}.
   */
  static int blockIndex(int inner, int count, int level, int k) {
    int first = k - k % BitDcf.GRAIN;
    int m = Math.min(BitDcf.GRAIN, count - first);
    return (first * (inner + 1) + level * m + (k - first)) << 1;
  }

  /** AES blocks an evaluation spends per key: one per inner level and one for the leaf. */
  public static int blocksPerKey(int bits) {
    checkShape(bits, 0, 0);
    return innerLevels(bits) + 1;
  }

  /** Longs of {@link #correctionWords()}: {@code 2·(inner + 1)·count}. */
  public static int correctionLength(int bits, int count) {
    checkShape(bits, 0, count);
    return 2 * (innerLevels(bits) + 1) * count;
  }

  /** Dealer bytes per key and party: {@code 16·(inner + 1)}. */
  public static long bytesPerKey(int bits) {
    return 8L * correctionLength(bits, 1);
  }

  public int bits() {
    return bits;
  }

  public int party() {
    return party;
  }

  public int count() {
    return count;
  }

  /** The dealer's bytes for this batch to this party (the roots come from the party's seed). */
  public long wireBytes() {
    return 8L * correctionLength(bits, count);
  }

  /** The correction blocks, common to both parties' keys: what the dealer sends. */
  public long[] correctionWords() {
    return java.util.Arrays.copyOfRange(cw, cwOffset, cwOffset + correctionLength(bits, count));
  }

  /**
   * Party {@code party}'s keys from its own roots and the common correction blocks at {@code
   * w[offset, offset + correctionLength)}, used in place (not copied: {@code w} must not change
   * afterwards); the low four bits of each root are cleared in place, as {@link BitDcf#generate}
   * does.
   */
  public static BitDcfKeys fromCorrections(
      int bits, int party, long[] rootLo, long[] rootHi, long[] w, int offset) {
    int count = rootLo.length;
    int len = correctionLength(bits, count);
    if (rootHi.length != count || offset < 0 || (long) offset + len > w.length) {
      throw new IllegalArgumentException(
          "bit-DCF correction words: "
              + (w.length - (long) offset)
              + " longs from offset "
              + offset
              + ", expected "
              + len
              + " for "
              + count
              + " keys of "
              + bits
              + " bits");
    }
    for (int k = 0; k < count; k++) {
      rootLo[k] &= ~15L;
    }
    return new BitDcfKeys(bits, party, count, rootLo, rootHi, w, offset);
  }

  @Override
  public String toString() {
    return "BitDcfKeys[party " + party + ", " + count + " keys, " + bits + " bits]";
  }
}
