package org.polyshare.core.gc;

import com.google.common.base.Preconditions;
import org.polyshare.core.correlation.RandomOts;

/**
 * Chosen-input wire labels from the dealer's random OTs (Beaver's OT precomputation), under
 * free-XOR. The sender holds random pairs {@code (m0, m1)}, the receiver a random choice {@code c}
 * and {@code m_c}. To give the receiver the label of its real bit {@code b}:
 *
 * <ol>
 *   <li>the receiver sends {@code e = b ⊕ c} ({@link #maskedChoices}; uniform, since c is);
 *   <li>the sender fixes the wire's zero-label {@code W0 = m_e} and sends {@code D = m0 ⊕ m1 ⊕ Δ}
 *       ({@link #senderLabels});
 *   <li>the receiver's label is {@code m_c ⊕ b·D} ({@link #receiverLabels}): for {@code b = 0},
 *       {@code c = e} and it is {@code m_e = W0}; for {@code b = 1} it is {@code m_{1⊕e} ⊕ m0 ⊕ m1
 *       ⊕ Δ = W0 ⊕ Δ = W1}.
 * </ol>
 *
 * One 128-bit D per bit instead of the two masked labels of a plain OT; {@code m_{1⊕c}}, unknown to
 * the receiver, hides Δ in D. Bits are packed: OT number {@code t} is bit {@code t mod 64} of word
 * {@code t / 64}; labels and D are two longs (lo, hi) per OT.
 */
final class LabelOt {
  private LabelOt() {}

  /**
   * Receiver, step 1: {@code e = b ⊕ c} for all {@code ots.count()} OTs, packed like {@code bits}.
   */
  static long[] maskedChoices(RandomOts ots, long[] bits) {
    Preconditions.checkArgument(!ots.isSender(), "the OT sender has no choice bits to mask");
    int words = (ots.count() + 63) >>> 6;
    Preconditions.checkArgument(
        bits.length == words,
        "%s OTs need %s words of choice bits, got %s",
        ots.count(),
        words,
        bits.length);
    long[] c = ots.choices();
    long[] e = new long[words];
    for (int w = 0; w < words; w++) {
      e[w] = bits[w] ^ c[w];
    }
    return e;
  }

  /**
   * Sender, step 2, for OTs {@code [first, first + count)}: zero-labels {@code m_e} to {@code
   * zero[zeroOff + 2(t − first)]} and {@code D = m0 ⊕ m1 ⊕ Δ} to {@code d[dOff + 2(t − first)]}.
   */
  static void senderLabels(
      RandomOts ots,
      long[] e,
      long deltaLo,
      long deltaHi,
      int first,
      int count,
      long[] zero,
      int zeroOff,
      long[] d,
      int dOff) {
    Preconditions.checkArgument(ots.isSender(), "only the OT sender holds both messages");
    checkRange(ots, first, count);
    // the strings come block by block (a seeded sender expands them only now)
    final int block = Math.min(count, SENDER_BLOCK);
    final long[] m0 = new long[2 * block];
    final long[] m1 = new long[2 * block];
    for (int i0 = 0; i0 < count; i0 += block) {
      int b = Math.min(block, count - i0);
      ots.readSender(first + i0, b, m0, m1);
      for (int j = 0; j < b; j++) {
        int i = i0 + j;
        int t = first + i;
        long eb = -((e[t >>> 6] >>> (t & 63)) & 1L);
        long xLo = m0[2 * j] ^ m1[2 * j];
        long xHi = m0[2 * j + 1] ^ m1[2 * j + 1];
        zero[zeroOff + 2 * i] = m0[2 * j] ^ (eb & xLo);
        zero[zeroOff + 2 * i + 1] = m0[2 * j + 1] ^ (eb & xHi);
        d[dOff + 2 * i] = xLo ^ deltaLo;
        d[dOff + 2 * i + 1] = xHi ^ deltaHi;
      }
    }
  }

  /** OTs whose sender strings {@link #senderLabels} reads at once: 2 × 64 KiB. */
  private static final int SENDER_BLOCK = 4096;

  /**
   * Receiver, step 3, for OTs {@code [first, first + count)}: the label of bit {@code b} (of {@code
   * bits}, as given to {@link #maskedChoices}) is {@code m_c ⊕ b·D}, with D read from {@code d[dOff
   * + 2(t − first)]}, written to {@code out[outOff + 2(t − first)]}.
   */
  static void receiverLabels(
      RandomOts ots,
      long[] bits,
      int first,
      int count,
      long[] d,
      int dOff,
      long[] out,
      int outOff) {
    Preconditions.checkArgument(!ots.isSender(), "only the OT receiver holds chosen messages");
    checkRange(ots, first, count);
    final long[] chosen = ots.chosen();
    for (int i = 0; i < count; i++) {
      int t = first + i;
      long b = -((bits[t >>> 6] >>> (t & 63)) & 1L);
      out[outOff + 2 * i] = chosen[2 * t] ^ (b & d[dOff + 2 * i]);
      out[outOff + 2 * i + 1] = chosen[2 * t + 1] ^ (b & d[dOff + 2 * i + 1]);
    }
  }

  private static void checkRange(RandomOts ots, int first, int count) {
    Preconditions.checkArgument(
        first >= 0 && count >= 0 && (long) first + count <= ots.count(),
        "OTs [%s, %s) outside the %s prepared",
        first,
        (long) first + count,
        ots.count());
  }
}
