package org.polyshare.core.fss;

/**
 * One party's DCF keys for a batch of {@code count} comparisons on {@code bits}-bit inputs, as flat
 * primitive arrays (no object per key). Per-level arrays are level-major — entry
 * {@code level·count + k} — so evaluation reads each level contiguously.
 *
 * <ul>
 *   <li>{@code rootLo, rootHi} [count]: the party's 127-bit root seed (low bit of {@code rootLo} 0);
 *   <li>{@code cwSeedLo, cwSeedHi} [bits·count]: the seed correction word {@code s_CW} per level;
 *   <li>{@code cwValue} [bits·count]: the value correction word {@code V_CW} ∈ Z_2^64;
 *   <li>{@code cwT} [⌈2·bits·count / 64⌉]: the two control-bit corrections {@code t_CW^L, t_CW^R},
 *       packed: bits {@code 2j, 2j+1} of the stream for entry {@code j = level·count + k};
 *   <li>{@code cwFinal} [count]: the leaf correction {@code CW^(n+1)} ∈ Z_2^64.
 * </ul>
 *
 * Keys are not seed-compressible (the correction words depend on both parties' seeds and on the
 * threshold), so {@link #wireBytes()} is what the dealer sends: per key and party
 * {@code 16 + bits·(16 + 8 + 1/4) + 8} bytes (412 B at 16 bits, 1576 B at 64 bits).
 */
public final class DcfKeys {
  private static final int HEADER = 3;

  final int bits;
  final int party;
  final int count;
  final long[] rootLo;
  final long[] rootHi;
  final long[] cwSeedLo;
  final long[] cwSeedHi;
  final long[] cwValue;
  final long[] cwT;
  final long[] cwFinal;

  DcfKeys(
      int bits,
      int party,
      int count,
      long[] rootLo,
      long[] rootHi,
      long[] cwSeedLo,
      long[] cwSeedHi,
      long[] cwValue,
      long[] cwT,
      long[] cwFinal) {
    checkShape(bits, party, count);
    int levels = bits * count;
    if (rootLo.length != count
        || rootHi.length != count
        || cwSeedLo.length != levels
        || cwSeedHi.length != levels
        || cwValue.length != levels
        || cwT.length != tWords(bits, count)
        || cwFinal.length != count) {
      throw new IllegalArgumentException(
          "DCF key arrays do not match " + count + " keys of " + bits + " bits");
    }
    this.bits = bits;
    this.party = party;
    this.count = count;
    this.rootLo = rootLo;
    this.rootHi = rootHi;
    this.cwSeedLo = cwSeedLo;
    this.cwSeedHi = cwSeedHi;
    this.cwValue = cwValue;
    this.cwT = cwT;
    this.cwFinal = cwFinal;
  }

  static void checkShape(int bits, int party, int count) {
    if (bits < 1 || bits > 64) {
      throw new IllegalArgumentException("DCF input width must be in [1, 64] bits, got " + bits);
    }
    if (party != 0 && party != 1) {
      throw new IllegalArgumentException("DCF key party must be 0 or 1, got " + party);
    }
    if (count < 0 || (long) bits * count > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("DCF batch of " + count + " keys of " + bits + " bits is too large");
    }
  }

  static int tWords(int bits, int count) {
    return (int) (((long) bits * count * 2 + 63) >>> 6);
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

  /** Bytes of {@link #encode()}: the dealer's traffic for this batch to this party. */
  public long wireBytes() {
    return 8L * encodedLength(bits, count);
  }

  /** Wire bytes per key, header excluded: {@code 16 + bits·24 + bits/4 + 8}. */
  public static double bytesPerKey(int bits) {
    return 16 + bits * 24 + bits / 4.0 + 8;
  }

  private static long encodedLength(int bits, int count) {
    return HEADER + 3L * count + 3L * bits * count + tWords(bits, count);
  }

  /** Wire form {@code {bits, party, count, rootLo, rootHi, cwSeedLo, cwSeedHi, cwValue, cwT, cwFinal}}. */
  public long[] encode() {
    long[] w = new long[Math.toIntExact(encodedLength(bits, count))];
    w[0] = bits;
    w[1] = party;
    w[2] = count;
    int p = HEADER;
    for (long[] a : new long[][] {rootLo, rootHi, cwSeedLo, cwSeedHi, cwValue, cwT, cwFinal}) {
      System.arraycopy(a, 0, w, p, a.length);
      p += a.length;
    }
    return w;
  }

  /** Inverse of {@link #encode()}; refuses a malformed message with the reason. */
  public static DcfKeys decode(long[] w) {
    if (w.length < HEADER) {
      throw new IllegalArgumentException("DCF key message of " + w.length + " words has no header");
    }
    if (w[0] < 1 || w[0] > 64 || w[1] < 0 || w[1] > 1 || w[2] < 0 || w[2] > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "DCF key message header (bits " + w[0] + ", party " + w[1] + ", count " + w[2] + ") is invalid");
    }
    int bits = (int) w[0];
    int party = (int) w[1];
    int count = (int) w[2];
    checkShape(bits, party, count);
    if (w.length != encodedLength(bits, count)) {
      throw new IllegalArgumentException(
          "DCF key message has " + w.length + " words, expected " + encodedLength(bits, count)
              + " for " + count + " keys of " + bits + " bits");
    }
    int levels = bits * count;
    int[] p = {HEADER};
    return new DcfKeys(
        bits,
        party,
        count,
        take(w, p, count),
        take(w, p, count),
        take(w, p, levels),
        take(w, p, levels),
        take(w, p, levels),
        take(w, p, tWords(bits, count)),
        take(w, p, count));
  }

  /**
   * Longs of {@link #correctionWords()} for {@code count} keys of {@code bits} bits:
   * {@code 3·bits·count + ⌈bits·count/32⌉ + count}.
   */
  public static int correctionLength(int bits, int count) {
    checkShape(bits, 0, count);
    return Math.toIntExact(3L * bits * count + tWords(bits, count) + count);
  }

  /**
   * The part of the keys common to both parties, {@code {cwSeedLo, cwSeedHi, cwValue, cwT,
   * cwFinal}}: what the dealer sends when each party derives its roots from its own seed.
   */
  public long[] correctionWords() {
    long[] w = new long[correctionLength(bits, count)];
    int p = 0;
    for (long[] a : new long[][] {cwSeedLo, cwSeedHi, cwValue, cwT, cwFinal}) {
      System.arraycopy(a, 0, w, p, a.length);
      p += a.length;
    }
    return w;
  }

  /**
   * Party {@code party}'s keys from its own roots and the common correction words found at
   * {@code w[offset ..]} (layout of {@link #correctionWords()}); the low bit of each root is
   * cleared in place, as {@link Dcf#generate} does.
   */
  public static DcfKeys fromCorrections(
      int bits, int party, long[] rootLo, long[] rootHi, long[] w, int offset) {
    int count = rootLo.length;
    checkShape(bits, party, count);
    if (offset < 0 || w.length - offset != correctionLength(bits, count)) {
      throw new IllegalArgumentException(
          "DCF correction words: " + (w.length - offset) + " longs, expected "
              + correctionLength(bits, count) + " for " + count + " keys of " + bits + " bits");
    }
    for (int k = 0; k < count; k++) {
      rootLo[k] &= ~1L;
    }
    int levels = bits * count;
    int[] p = {offset};
    return new DcfKeys(
        bits,
        party,
        count,
        rootLo,
        rootHi,
        take(w, p, levels),
        take(w, p, levels),
        take(w, p, levels),
        take(w, p, tWords(bits, count)),
        take(w, p, count));
  }

  private static long[] take(long[] w, int[] pos, int n) {
    long[] a = new long[n];
    System.arraycopy(w, pos[0], a, 0, n);
    pos[0] += n;
    return a;
  }

  @Override
  public String toString() {
    return "DcfKeys[party " + party + ", " + count + " keys, " + bits + " bits]";
  }
}
