package org.polyshare.core.gc;

import com.google.common.base.Preconditions;

/**
 * Bit vectors as little-endian {@code long} words (bit {@code j} is bit {@code j & 63} of word
 * {@code j >>> 6}) and their hex form, which reads as an ordinary integer: most significant digit
 * first, so {@code "0f"} sets bits 0..3.
 */
public final class Bits {
  private Bits() {}

  public static long[] fromHex(String hex, int width) {
    String h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    Preconditions.checkArgument(
        !h.isEmpty() && (long) h.length() * 4 <= ((long) width + 3) / 4 * 4,
        "hex value '%s' does not fit in %s bits (give at most %s hex digits)",
        hex,
        width,
        (width + 3) / 4);
    long[] w = new long[(width + 63) >>> 6];
    for (int i = 0; i < h.length(); i++) {
      int d = Character.digit(h.charAt(h.length() - 1 - i), 16);
      Preconditions.checkArgument(d >= 0, "'%s' is not a hex number", hex);
      for (int k = 0; k < 4; k++) {
        int bit = 4 * i + k;
        if (((d >>> k) & 1) != 0) {
          Preconditions.checkArgument(
              bit < width, "hex value '%s' does not fit in %s bits", hex, width);
          w[bit >>> 6] |= 1L << (bit & 63);
        }
      }
    }
    return w;
  }

  /** Hex of the low {@code width} bits, zero-padded to {@code ceil(width/4)} digits. */
  public static String toHex(long[] words, int width) {
    int digits = (width + 3) / 4;
    StringBuilder sb = new StringBuilder(digits);
    for (int i = digits - 1; i >= 0; i--) {
      int d = 0;
      for (int k = 3; k >= 0; k--) {
        int bit = 4 * i + k;
        d = (d << 1) | (bit < width ? (int) ((words[bit >>> 6] >>> (bit & 63)) & 1L) : 0);
      }
      sb.append(Character.forDigit(d, 16));
    }
    return sb.toString();
  }

  /** Bit {@code j} of a word vector. */
  public static int get(long[] words, int j) {
    return (int) ((words[j >>> 6] >>> (j & 63)) & 1L);
  }

  /** Reverses the order of the low {@code width} bits (MSB-first ↔ LSB-first wire conventions). */
  public static long[] reverse(long[] words, int width) {
    long[] r = new long[(width + 63) >>> 6];
    for (int j = 0; j < width; j++) {
      if (get(words, j) != 0) {
        int t = width - 1 - j;
        r[t >>> 6] |= 1L << (t & 63);
      }
    }
    return r;
  }
}
