package org.polyshare.core.correlation;

import java.util.Arrays;
import org.polyshare.core.prg.Seed;

/**
 * What the dealer sends one party for one request: a fresh 128-bit seed the party expands into its
 * shares, and — for the one party that gets it in this batch — a correction vector (empty for the
 * other; for the DCF-carrying kinds both parties get one, holding the keys' common correction
 * words). Wire form ({@link #encode}): {@code [seedLo, seedHi, correction...]}, the seed's 16 bytes
 * read as two little-endian longs.
 */
public record DealerMessage(Seed seed, long[] correction) {
  private static final long[] NONE = new long[0];

  public DealerMessage {
    if (seed == null) {
      throw new IllegalArgumentException("dealer message without a seed");
    }
    correction = correction == null ? NONE : correction;
  }

  public static DealerMessage seedOnly(Seed seed) {
    return new DealerMessage(seed, NONE);
  }

  public boolean hasCorrection() {
    return correction.length > 0;
  }

  /** Bytes on the wire: 16 for the seed plus 8 per correction element. */
  public long wireBytes() {
    return Seed.BYTES + 8L * correction.length;
  }

  public long[] encode() {
    long[] out = new long[2 + correction.length];
    byte[] s = seed.bytes();
    for (int i = 0; i < 8; i++) {
      out[0] |= (s[i] & 0xFFL) << (8 * i);
      out[1] |= (s[8 + i] & 0xFFL) << (8 * i);
    }
    System.arraycopy(correction, 0, out, 2, correction.length);
    return out;
  }

  public static DealerMessage decode(long[] e) {
    if (e.length < 2) {
      throw new IllegalArgumentException(
          "dealer message too short: " + e.length + " longs, need >= 2");
    }
    byte[] s = new byte[Seed.BYTES];
    for (int i = 0; i < 8; i++) {
      s[i] = (byte) (e[0] >>> (8 * i));
      s[8 + i] = (byte) (e[1] >>> (8 * i));
    }
    return new DealerMessage(Seed.of(s), Arrays.copyOfRange(e, 2, e.length));
  }

  @Override
  public String toString() {
    return "DealerMessage[correction=" + correction.length + " longs]";
  }
}
