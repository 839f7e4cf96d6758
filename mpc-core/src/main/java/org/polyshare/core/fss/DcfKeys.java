package org.polyshare.core.fss;

/**
 * One party's DCF keys for a batch of {@code count} comparisons on {@code bits}-bit inputs, as flat
 * primitive arrays (no object per key). Per-level arrays are level-major — entry {@code level·count
 * + k} — so evaluation reads each level contiguously.
 *
 * <ul>
 *   <li>{@code rootLo, rootHi} [count]: the party's 127-bit root seed (low bit of {@code rootLo}
 *       0);
 *   <li>{@code cwSeedLo, cwSeedHi} [bits·count]: the seed correction word {@code s_CW} per level;
 *   <li>{@code cwValue} [bits·count·width]: the value correction words {@code V_CW} ∈ Z_2^64,
 *       component e of entry j at {@code j·width + e};
 *   <li>{@code cwT} [⌈2·bits·count / 64⌉]: the two control-bit corrections {@code t_CW^L, t_CW^R},
 *       packed: bits {@code 2j, 2j+1} of the stream for entry {@code j = level·count + k};
 *   <li>{@code cwFinal} [count·width]: the leaf corrections {@code CW^(n+1)} ∈ Z_2^64.
 * </ul>
 *
 * Keys are not seed-compressible (the correction words depend on both parties' seeds and on the
 * threshold), so {@link #wireBytes()} is what the dealer sends: per key and party {@code 16 +
 * bits·(16 + 8w + 1/4) + 8w} bytes for payload width w (at w = 1: 412 B at 16 bits, 1576 B at 64
 * bits); without the root ({@link #correctionWords()}) 16 B less.
 */
public final class DcfKeys {
  private static final int HEADER = 4;

  final int bits;
  final int width;
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
      int width,
      int party,
      int count,
      long[] rootLo,
      long[] rootHi,
      long[] cwSeedLo,
      long[] cwSeedHi,
      long[] cwValue,
      long[] cwT,
      long[] cwFinal) {
    checkShape(bits, width, party, count);
    int levels = bits * count;
    if (rootLo.length != count
        || rootHi.length != count
        || cwSeedLo.length != levels
        || cwSeedHi.length != levels
        || cwValue.length != (long) levels * width
        || cwT.length != tWords(bits, count)
        || cwFinal.length != (long) count * width) {
      throw new IllegalArgumentException(
          "DCF key arrays do not match " + count + " keys of " + bits + " bits, width " + width);
    }
    this.bits = bits;
    this.width = width;
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
    checkShape(bits, 1, party, count);
  }

  static void checkShape(int bits, int width, int party, int count) {
    if (width < 1 || width > 16) {
      throw new IllegalArgumentException(
          "DCF payload width must be in [1, 16] words, got " + width);
    }
    if (bits < 1 || bits > 64) {
      throw new IllegalArgumentException("DCF input width must be in [1, 64] bits, got " + bits);
    }
    if (party != 0 && party != 1) {
      throw new IllegalArgumentException("DCF key party must be 0 or 1, got " + party);
    }
    if (count < 0 || (long) bits * count * width > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "DCF batch of " + count + " keys of " + bits + " bits is too large");
    }
  }

  static int tWords(int bits, int count) {
    return (int) (((long) bits * count * 2 + 63) >>> 6);
  }

  public int bits() {
    return bits;
  }

  /** Payload words per comparison. */
  public int width() {
    return width;
  }

  public int party() {
    return party;
  }

  public int count() {
    return count;
  }

  /** Bytes of {@link #encode()}: the dealer's traffic for this batch to this party. */
  public long wireBytes() {
    return 8L * encodedLength(bits, width, count);
  }

  /** Wire bytes per key at width 1, header excluded: {@code 16 + bits·24 + bits/4 + 8}. */
  public static double bytesPerKey(int bits) {
    return bytesPerKey(bits, 1);
  }

  /** Wire bytes per key, header excluded: {@code 16 + bits·(16 + 8·width) + bits/4 + 8·width}. */
  public static double bytesPerKey(int bits, int width) {
    return 16 + bits * (16 + 8 * width) + bits / 4.0 + 8 * width;
  }

  private static long encodedLength(int bits, int width, int count) {
    return HEADER + 2L * count + correctionLength(bits, width, count);
  }

  /**
   * Wire form {@code {bits, width, party, count, rootLo, rootHi, cwSeedLo, cwSeedHi, cwValue, cwT,
   * cwFinal}}.
   */
  public long[] encode() {
    long[] w = new long[Math.toIntExact(encodedLength(bits, width, count))];
    w[0] = bits;
    w[1] = width;
    w[2] = party;
    w[3] = count;
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
    if (w[0] < 1
        || w[0] > 64
        || w[1] < 1
        || w[1] > 16
        || w[2] < 0
        || w[2] > 1
        || w[3] < 0
        || w[3] > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "DCF key message header (bits "
              + w[0]
              + ", width "
              + w[1]
              + ", party "
              + w[2]
              + ", count "
              + w[3]
              + ") is invalid");
    }
    int bits = (int) w[0];
    int width = (int) w[1];
    int party = (int) w[2];
    int count = (int) w[3];
    checkShape(bits, width, party, count);
    if (w.length != encodedLength(bits, width, count)) {
      throw sizeMismatch(
          "key message", w.length, encodedLength(bits, width, count), bits, width, count);
    }
    int[] p = {HEADER};
    long[] rootLo = take(w, p, count);
    long[] rootHi = take(w, p, count);
    return fromCorrections(bits, width, party, rootLo, rootHi, w, p[0]);
  }

  /**
   * Longs of {@link #correctionWords()} for {@code count} keys of {@code bits} bits: {@code
   * 3·bits·count + ⌈bits·count/32⌉ + count}.
   */
  public static int correctionLength(int bits, int count) {
    return correctionLength(bits, 1, count);
  }

  /**
   * As {@link #correctionLength(int, int)} for payload width w: {@code (2 + w)·bits·count +
   * ⌈bits·count/32⌉ + w·count}.
   */
  public static int correctionLength(int bits, int width, int count) {
    checkShape(bits, width, 0, count);
    return Math.toIntExact(
        (2L + width) * bits * count + tWords(bits, count) + (long) width * count);
  }

  /**
   * The part of the keys common to both parties, {@code {cwSeedLo, cwSeedHi, cwValue, cwT,
   * cwFinal}}: what the dealer sends when each party derives its roots from its own seed.
   */
  public long[] correctionWords() {
    long[] w = new long[correctionLength(bits, width, count)];
    int p = 0;
    for (long[] a : new long[][] {cwSeedLo, cwSeedHi, cwValue, cwT, cwFinal}) {
      System.arraycopy(a, 0, w, p, a.length);
      p += a.length;
    }
    return w;
  }

  /**
   * Party {@code party}'s keys from its own roots and the common correction words found at {@code
   * w[offset ..]} (layout of {@link #correctionWords()}); the low bit of each root is cleared in
   * place, as {@link Dcf#generate} does.
   */
  public static DcfKeys fromCorrections(
      int bits, int party, long[] rootLo, long[] rootHi, long[] w, int offset) {
    return fromCorrections(bits, 1, party, rootLo, rootHi, w, offset);
  }

  /** As {@link #fromCorrections(int, int, long[], long[], long[], int)} for payload width w. */
  public static DcfKeys fromCorrections(
      int bits, int width, int party, long[] rootLo, long[] rootHi, long[] w, int offset) {
    int count = rootLo.length;
    checkShape(bits, width, party, count);
    if (rootHi.length != count
        || offset < 0
        || w.length - offset != correctionLength(bits, width, count)) {
      throw sizeMismatch(
          "correction words",
          w.length - offset,
          correctionLength(bits, width, count),
          bits,
          width,
          count);
    }
    for (int k = 0; k < count; k++) {
      rootLo[k] &= ~1L;
    }
    int levels = bits * count;
    int[] p = {offset};
    return new DcfKeys(
        bits,
        width,
        party,
        count,
        rootLo,
        rootHi,
        take(w, p, levels),
        take(w, p, levels),
        take(w, p, levels * width),
        take(w, p, tWords(bits, count)),
        take(w, p, count * width));
  }

  /** A message of {@code got} longs where {@code count} keys of this shape need {@code want}. */
  private static IllegalArgumentException sizeMismatch(
      String what, long got, long want, int bits, int width, int count) {
    return new IllegalArgumentException(
        "DCF "
            + what
            + " of "
            + got
            + " longs, expected "
            + want
            + " for "
            + count
            + " keys of "
            + bits
            + " bits, width "
            + width);
  }

  private static long[] take(long[] w, int[] pos, int n) {
    long[] a = new long[n];
    System.arraycopy(w, pos[0], a, 0, n);
    pos[0] += n;
    return a;
  }

  @Override
  public String toString() {
    return "DcfKeys[party "
        + party
        + ", "
        + count
        + " keys, "
        + bits
        + " bits"
        + (width == 1 ? "" : ", width " + width)
        + "]";
  }
}
