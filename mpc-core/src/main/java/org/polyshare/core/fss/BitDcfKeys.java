package org.polyshare.core.fss;

/**
 * One party's {@link BitDcf} keys for a batch of {@code count} comparisons on {@code bits}-bit
 * inputs, digits of {@code digitBits} bits ({@code arity = 2^digitBits} children a node), as flat
 * primitive arrays:
 *
 * <ul>
 *   <li>{@code rootLo, rootHi} [count]: the party's 126-bit root seed (low two bits of {@code
 *       rootLo} 0); drawn from the party's own dealer seed, never sent;
 *   <li>{@code cw} [levels·count·arity·2]: per level, key and child c one 128-bit correction block
 *       (low word, high word) at {@code ((level·count + k)·arity + c)·2}; its bit 0 corrects the
 *       control bit, bit 1 the output bit, the rest the seed. Level-major, so that an evaluation
 *       reads each level contiguously.
 * </ul>
 *
 * The correction blocks depend on both parties' seeds and on the threshold: they are what the
 * dealer sends, the same to both parties, {@code 16·arity·⌈bits/digitBits⌉} bytes a key (1984 B at
 * 62 bits, 512 B at 16 bits, for 2-bit digits).
 */
public final class BitDcfKeys {
  final int bits;
  final int digitBits;
  final int party;
  final int count;
  final long[] rootLo;
  final long[] rootHi;
  final long[] cw;

  BitDcfKeys(
      int bits, int digitBits, int party, int count, long[] rootLo, long[] rootHi, long[] cw) {
    checkShape(bits, digitBits, party, count);
    if (rootLo.length != count
        || rootHi.length != count
        || cw.length != correctionLength(bits, digitBits, count)) {
      throw new IllegalArgumentException(
          "bit-DCF key arrays do not match "
              + count
              + " keys of "
              + bits
              + " bits in "
              + digitBits
              + "-bit digits");
    }
    this.bits = bits;
    this.digitBits = digitBits;
    this.party = party;
    this.count = count;
    this.rootLo = rootLo;
    this.rootHi = rootHi;
    this.cw = cw;
  }

  static void checkShape(int bits, int digitBits, int party, int count) {
    if (bits < 1 || bits > 64) {
      throw new IllegalArgumentException("DCF input width must be in [1, 64] bits, got " + bits);
    }
    if (digitBits < 1 || digitBits > 4) {
      throw new IllegalArgumentException(
          "bit-DCF digits must have 1 to 4 bits (2 to 16 children), got " + digitBits);
    }
    if (party != 0 && party != 1) {
      throw new IllegalArgumentException("DCF key party must be 0 or 1, got " + party);
    }
    if (count < 0 || 2L * levels(bits, digitBits) * count << digitBits > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "bit-DCF batch of " + count + " keys of " + bits + " bits is too large");
    }
  }

  /** Tree levels: one per digit, {@code ⌈bits/digitBits⌉}. */
  static int levels(int bits, int digitBits) {
    return (bits + digitBits - 1) / digitBits;
  }

  /** Longs of {@link #correctionWords()}: {@code 2·arity·levels·count}. */
  public static int correctionLength(int bits, int digitBits, int count) {
    checkShape(bits, digitBits, 0, count);
    return (2 * levels(bits, digitBits) * count) << digitBits;
  }

  /** Dealer bytes per key and party: {@code 16·arity·levels}. */
  public static long bytesPerKey(int bits, int digitBits) {
    return 8L * correctionLength(bits, digitBits, 1);
  }

  public int bits() {
    return bits;
  }

  public int digitBits() {
    return digitBits;
  }

  public int party() {
    return party;
  }

  public int count() {
    return count;
  }

  /** The dealer's bytes for this batch to this party (the roots come from the party's seed). */
  public long wireBytes() {
    return 8L * cw.length;
  }

  /** The correction blocks, common to both parties' keys: what the dealer sends. */
  public long[] correctionWords() {
    return cw.clone();
  }

  /**
   * Party {@code party}'s keys from its own roots and the common correction blocks at {@code
   * w[offset, offset + correctionLength)}; the low two bits of each root are cleared in place, as
   * {@link BitDcf#generate} does.
   */
  public static BitDcfKeys fromCorrections(
      int bits, int digitBits, int party, long[] rootLo, long[] rootHi, long[] w, int offset) {
    int count = rootLo.length;
    int len = correctionLength(bits, digitBits, count);
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
      rootLo[k] &= ~3L;
    }
    long[] cw = java.util.Arrays.copyOfRange(w, offset, offset + len);
    return new BitDcfKeys(bits, digitBits, party, count, rootLo, rootHi, cw);
  }

  @Override
  public String toString() {
    return "BitDcfKeys[party "
        + party
        + ", "
        + count
        + " keys, "
        + bits
        + " bits, "
        + digitBits
        + "-bit digits]";
  }
}
