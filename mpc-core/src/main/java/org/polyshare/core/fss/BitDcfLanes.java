package org.polyshare.core.fss;

import static org.polyshare.core.prg.FixedKeyAes.LONGS;

import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * One inner level of a {@link BitDcf} walk on the Vector API, {@code lanes / 2} keys a step (4 on
 * AVX-512). The AES buffers hold a key's block as two little-endian longs (low word, high word) and
 * the correction blocks are laid out the same way, so one vector of words is {@code lanes / 2}
 * blocks: even lanes low words, odd lanes high words. The per-key words (state, point) are kept
 * twice, once for each lane of the key's pair, so that the control-bit mask is a lanewise
 * operation; the walk's only cross-lane step copies the new state from the low lane to the high
 * one.
 *
 * <p>Lanewise, with {@code E1 = [1, 0, …]}, {@code E3 = [3, 0, …]} and {@code NS = [~15, −1, …]}
 * (clear the four non-seed bits of the low word): {@code corr = (cw & NS) | ((cw >>> 2·(in & E1)) &
 * E3)} (the child's t and output corrections in the low bits of the low word, the high word
 * unchanged), {@code next = π(in) ⊕ in ⊕ (−t & corr)}: the same words as {@link BitDcf}'s scalar
 * pass, bit for bit ({@code BitDcfLanesTest}). Only {@link BitDcf} loads this class, and only after
 * probing that {@code jdk.incubator.vector} is present.
 */
final class BitDcfLanes {
  private static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  private static final LongVector E1 = pairs(1L, 0L);
  private static final LongVector E3 = pairs(3L, 0L);
  private static final LongVector NS = pairs(~15L, -1L);
  private static final LongVector EVEN = pairs(-1L, 0L);

  /** Lane j takes lane {@code j & ~1}: the low word's state to both lanes of its key. */
  private static final VectorShuffle<Long> LOW_TO_PAIR = VectorShuffle.fromOp(S, j -> j & ~1);

  private BitDcfLanes() {}

  /** Long lanes of the preferred species. */
  static int lanes() {
    return L;
  }

  /**
   * Whether {@link #level} links on this JDK: it runs once over zeros, and a JDK whose incubating
   * Vector API lacks JDK 17's byte-array loads (later rounds of the incubator replaced them with
   * memory-segment loads) fails here with a {@link LinkageError} ({@link NoSuchMethodError}), so
   * that {@link BitDcf} runs its scalar pass rather than failing inside a DCF evaluation.
   */
  static boolean links() {
    int m = L;
    try {
      level(
          new byte[16 * m],
          new byte[16 * m],
          new long[2 * m],
          0,
          new long[2 * m],
          new long[2 * m],
          0,
          m);
      return true;
    } catch (LinkageError otherApi) {
      return false;
    }
  }

  private static LongVector pairs(long even, long odd) {
    long[] v = new long[L];
    for (int j = 0; j < L; j++) {
      v[j] = (j & 1) == 0 ? even : odd;
    }
    return LongVector.fromArray(S, v, 0);
  }

  /**
   * Keys {@code [0, m)} of one inner level: {@code in} holds their input blocks (rewritten in place
   * with the next level's), {@code o} their permuted blocks, {@code cw[base + 2i]} key i's
   * correction block, {@code st[2i] = st[2i + 1]} its state (bit 0: t, bit 1: output so far) and
   * {@code xp[2i]} its point ({@code xp[2i + 1] = 0}); {@code next} is the next level's input bit,
   * or −1 when the leaf follows.
   */
  static void level(
      byte[] in, byte[] o, long[] cw, int base, long[] st, long[] xp, int next, int m) {
    int words = 2 * m;
    int bound = words - words % L;
    // the next tweak, ((x >>> next) & 1) or the leaf's 2, in the low lanes; no vector chosen by
    // a branch inside the loop (C2 would box it)
    int nextShift = Math.max(next, 0);
    long bit = next >= 0 ? 1L : 0L;
    long leaf = next >= 0 ? 0L : 2L;
    int w = 0;
    for (; w < bound; w += L) {
      LongVector vin = LongVector.fromByteArray(S, in, w << 3, LE);
      LongVector vo = LongVector.fromByteArray(S, o, w << 3, LE);
      LongVector vcw = LongVector.fromArray(S, cw, base + w);
      LongVector vst = LongVector.fromArray(S, st, w);
      LongVector shift = vin.and(E1).lanewise(VectorOperators.LSHL, 1);
      LongVector corr = vcw.and(NS).or(vcw.lanewise(VectorOperators.LSHR, shift).and(E3));
      LongVector mask = vst.and(1L).neg();
      LongVector nw =
          vo.lanewise(VectorOperators.XOR, vin).lanewise(VectorOperators.XOR, mask.and(corr));
      vst.lanewise(VectorOperators.XOR, nw)
          .and(2L)
          .or(nw.and(1L))
          .rearrange(LOW_TO_PAIR)
          .intoArray(st, w);
      LongVector tweak =
          LongVector.fromArray(S, xp, w)
              .lanewise(VectorOperators.LSHR, nextShift)
              .and(bit)
              .or(leaf)
              .and(EVEN);
      nw.and(NS).lanewise(VectorOperators.XOR, tweak).intoByteArray(in, w << 3, LE);
    }
    for (int i = w >>> 1, p = w << 3; i < m; i++, p += 16) {
      long inLo = (long) LONGS.get(in, p);
      long cLo = cw[base + 2 * i];
      long corrLo = (cLo & ~15L) | ((cLo >>> (2 * ((int) inLo & 1))) & 3L);
      long mask = -(st[2 * i] & 1L);
      long lo = (long) LONGS.get(o, p) ^ inLo ^ (mask & corrLo);
      long hi =
          (long) LONGS.get(o, p + 8) ^ (long) LONGS.get(in, p + 8) ^ (mask & cw[base + 2 * i + 1]);
      long s = ((st[2 * i] ^ lo) & 2L) | (lo & 1L);
      st[2 * i] = s;
      st[2 * i + 1] = s;
      long tweak = next >= 0 ? (xp[2 * i] >>> next) & 1L : 2L;
      LONGS.set(in, p, (lo & ~15L) ^ tweak);
      LONGS.set(in, p + 8, hi);
    }
  }
}
