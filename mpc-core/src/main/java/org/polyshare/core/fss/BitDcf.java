package org.polyshare.core.fss;

import static org.polyshare.core.prg.FixedKeyAes.LONGS;

import java.nio.charset.StandardCharsets;
import org.polyshare.core.kernel.RingThreads;
import org.polyshare.core.prg.FixedKeyAes;
import org.polyshare.core.prg.Prg;

/**
 * A distributed comparison function with a one-bit output and one AES block per level: the dealer
 * turns thresholds {@code α < 2^n} and secret bits {@code φ} into key pairs; party b evaluates its
 * key alone at a public {@code x < 2^n} and gets a bit {@code y_b} with {@code y_0 ⊕ y_1 = [x < α]
 * ⊕ φ} (unsigned). The FSS ReLU ({@link FssRelu}) opens such XOR shares masked by φ and turns them
 * into arithmetic shares linearly; a bit output is what makes one block a level enough.
 *
 * <p><b>Tree.</b> The input is read in digits of {@code d} bits from the top ({@code L = ⌈n/d⌉}
 * levels, the top digit padded with zeros), each node has {@code A = 2^d} children. Party b holds a
 * 126-bit seed {@code s_b} and a control bit {@code t_b} per node; child c of seed s is the block
 * {@code G_c(s) = π(s ⊕ c) ⊕ (s ⊕ c)} (π fixed-key AES, the Matyas–Meyer–Oseas correlation-robust
 * hash; the seed's low two bits are 0, so the tweaks c give distinct inputs). Walking into child c,
 * party b takes {@code B = G_c(s_b) ⊕ t_b·CW_c} and reads bit 0 as the new t, bit 1 as an output
 * bit it XORs into {@code y_b}, the rest as the new seed. The key holds one correction block {@code
 * CW_c} per child and level: {@code 16·A·L} bytes.
 *
 * <p><b>Invariant.</b> On α's path the seeds are independent and {@code t_0 ⊕ t_1 = 1} (roots
 * fresh, {@code t_0 = 0, t_1 = 1}); off it the two parties' seeds and t are equal, so below such a
 * node both compute the same bits and their XOR adds nothing. Let {@code V = y_0 ⊕ y_1} so far on
 * the path and a be α's digit. Exactly one party (the one with t = 1) applies {@code CW_c}, so
 * {@code B_0 ⊕ B_1 = G_c(s_0) ⊕ G_c(s_1) ⊕ CW_c}. The dealer sets, for {@code c ≠ a},
 *
 * <pre>  CW_c = G_c(s_0) ⊕ G_c(s_1) ⊕ (([c < a] ⊕ φ ⊕ V) ≪ 1):</pre>
 *
 * equal seeds and t below, and the output XOR becomes {@code [c < a] ⊕ φ}, which is {@code [x < α]
 * ⊕ φ} for every x whose first digit differing from α's is this c. For the path child {@code c =
 * a}, {@code CW_a = G_a(s_0) ⊕ G_a(s_1) ⊕ D} with {@code D} uniform except bit 0 = 1 (the t's stay
 * different; the seeds differ by D's seed part, zero with probability 2^-126) and, at the last
 * level, bit 1 = {@code V ⊕ φ}, so that at {@code x = α} the output is {@code φ = [α < α] ⊕ φ}.
 * Every x leaves the path at its first differing digit or ends at α: correct for all x.
 *
 * <p><b>Privacy.</b> Party b sees its root and the correction blocks. Every {@code CW_c} is masked
 * by {@code G_c(s_{1−b})} of the other party's path seed, which party b never learns (its own seeds
 * are independent of it; the path seeds' difference D is masked the same way), so a key is
 * simulatable by uniform strings whatever α and φ are; {@code DcfKeyPrivacyTest} checks it
 * statistically.
 *
 * <p><b>Cost.</b> Evaluation: L AES blocks per key and party, one cipher call per level over a
 * whole block of keys, and a few word operations a level; 31 blocks at n = 62 with 2-bit digits
 * (the old arithmetic DCF needed 2n + 1). Generation: {@code 2A} blocks a key and level. Wider
 * digits trade key bytes (×A/d per bit) for blocks (÷d).
 */
public final class BitDcf {
  /** The default digit: 4 children, 2 bits a block, 32 B of key a bit. */
  public static final int DIGIT_BITS = 2;

  /** Public and constant; a different constant from the other hashes (domain separation). */
  private static final byte[] KEY = "PolyShare bitDCF".getBytes(StandardCharsets.US_ASCII);

  /** Keys per chunk of the generation: both parties' children of a level in cache. */
  private static final int GEN_CHUNK = 1024;

  /** Keys per block of a parallel evaluation (a multiple of 64: blocks own whole output words). */
  static final int GRAIN = 2048;

  private static final ThreadLocal<Aes> AES = ThreadLocal.withInitial(Aes::new);

  private BitDcf() {}

  /**
   * Key pairs for thresholds {@code alpha[k] < 2^bits} and output flips {@code flip[k] ∈ {0, 1}}
   * (null: none), roots drawn from {@code rng}, which must be the dealer's secret randomness.
   */
  public static BitDcfKeys[] generate(int bits, int digitBits, long[] alpha, long[] flip, Prg rng) {
    int n = alpha.length;
    return generate(
        bits,
        digitBits,
        alpha,
        flip,
        rng.nextLongs(n),
        rng.nextLongs(n),
        rng.nextLongs(n),
        rng.nextLongs(n),
        rng);
  }

  /**
   * As {@link #generate(int, int, long[], long[], Prg)} with party b's roots {@code (rootLo_b[k],
   * rootHi_b[k])} given (their low two bits are cleared in place): uniform and each known only to
   * its party, e.g. from the party's own dealer seed, so that only the correction blocks travel.
   * {@code rng} (dealer-secret) draws the path blocks D. Returns {@code {party 0's, party 1's}}.
   */
  public static BitDcfKeys[] generate(
      int bits,
      int digitBits,
      long[] alpha,
      long[] flip,
      long[] root0Lo,
      long[] root0Hi,
      long[] root1Lo,
      long[] root1Hi,
      Prg rng) {
    int count = alpha.length;
    BitDcfKeys.checkShape(bits, digitBits, 0, count);
    if ((flip != null && flip.length != count)
        || root0Lo.length != count
        || root0Hi.length != count
        || root1Lo.length != count
        || root1Hi.length != count) {
      throw new IllegalArgumentException(
          "bit-DCF flips or root seeds do not match " + count + " thresholds");
    }
    for (int k = 0; k < count; k++) {
      Dcf.checkRange(bits, alpha[k], "threshold");
      if (flip != null && (flip[k] & ~1L) != 0) {
        throw new IllegalArgumentException("bit-DCF flip " + flip[k] + " is not a bit");
      }
      root0Lo[k] &= ~3L;
      root1Lo[k] &= ~3L;
    }
    long[] cw = new long[BitDcfKeys.correctionLength(bits, digitBits, count)];
    Aes aes = new Aes();
    for (int from = 0; from < count; from += GEN_CHUNK) {
      int to = Math.min(count, from + GEN_CHUNK);
      generateChunk(
          bits,
          digitBits,
          alpha,
          flip,
          new long[][] {root0Lo, root0Hi, root1Lo, root1Hi},
          rng,
          cw,
          aes,
          from,
          to);
    }
    return new BitDcfKeys[] {
      new BitDcfKeys(bits, digitBits, 0, count, root0Lo, root0Hi, cw),
      new BitDcfKeys(bits, digitBits, 1, count, root1Lo, root1Hi, cw)
    };
  }

  /**
   * Keys {@code [from, to)}, {@code roots = {root0Lo, root0Hi, root1Lo, root1Hi}}: per level one
   * cipher call of {@code 2·A·m} blocks.
   */
  private static void generateChunk(
      int bits,
      int digitBits,
      long[] alpha,
      long[] flip,
      long[][] roots,
      Prg rng,
      long[] cw,
      Aes aes,
      int from,
      int to) {
    int count = alpha.length;
    int m = to - from;
    int arity = 1 << digitBits;
    int levels = BitDcfKeys.levels(bits, digitBits);
    // party 0's node of key i at index i, party 1's at m + i
    long[] sLo = new long[2 * m];
    long[] sHi = new long[2 * m];
    long[] t = new long[2 * m];
    System.arraycopy(roots[0], from, sLo, 0, m);
    System.arraycopy(roots[2], from, sLo, m, m);
    System.arraycopy(roots[1], from, sHi, 0, m);
    System.arraycopy(roots[3], from, sHi, m, m);
    java.util.Arrays.fill(t, m, 2 * m, 1L);
    long[] pathXor = new long[m];
    long[] d = new long[2 * m];
    int per = 16 * arity;
    for (int level = 0; level < levels; level++) {
      int shift = (levels - 1 - level) * digitBits;
      boolean last = level == levels - 1;
      rng.fill(d, 0, 2 * m);
      byte[] o = aes.children(sLo, sHi, 2 * m, arity);
      for (int i = 0; i < m; i++) {
        int k = from + i;
        int a = (int) (alpha[k] >>> shift) & (arity - 1);
        long phi = flip == null ? 0 : flip[k];
        int p0 = per * i;
        int p1 = per * (m + i);
        int out = ((level * count + k) << digitBits) << 1;
        long v = pathXor[i];
        for (int c = 0; c < arity; c++) {
          long lo =
              (long) LONGS.get(o, p0 + 16 * c)
                  ^ (long) LONGS.get(o, p1 + 16 * c)
                  ^ sLo[i]
                  ^ sLo[m + i];
          long hi =
              (long) LONGS.get(o, p0 + 16 * c + 8)
                  ^ (long) LONGS.get(o, p1 + 16 * c + 8)
                  ^ sHi[i]
                  ^ sHi[m + i];
          if (c != a) {
            lo ^= ((c < a ? 1L : 0L) ^ phi ^ v) << 1;
          } else {
            long dLo = d[2 * i] | 1L;
            if (last) {
              dLo = (dLo & ~2L) | (v ^ phi) << 1;
            }
            lo ^= dLo;
            hi ^= d[2 * i + 1];
            pathXor[i] = v ^ ((dLo >>> 1) & 1L);
          }
          cw[out + 2 * c] = lo;
          cw[out + 2 * c + 1] = hi;
        }
        int ca = out + 2 * a;
        for (int q = i, pq = p0; ; q = m + i, pq = p1) {
          long mask = -t[q];
          long lo = (long) LONGS.get(o, pq + 16 * a) ^ sLo[q] ^ a ^ (mask & cw[ca]);
          long hi = (long) LONGS.get(o, pq + 16 * a + 8) ^ sHi[q] ^ (mask & cw[ca + 1]);
          t[q] = lo & 1L;
          sLo[q] = lo & ~3L;
          sHi[q] = hi;
          if (q == m + i) {
            break;
          }
        }
      }
    }
  }

  /**
   * Party {@code keys.party()}'s output bits at {@code x[k]} (one point per key), packed: bit
   * {@code k & 63} of word {@code k >>> 6}. Blocks of keys run in parallel on {@code pool} ({@code
   * RingThreads(1)}: the calling thread); the result does not depend on the split.
   */
  public static long[] evaluate(BitDcfKeys keys, long[] x, RingThreads pool) {
    long[] out = checkedOutput(keys, x);
    int words = out.length;
    pool.forEachBlock(
        words,
        GRAIN >>> 6,
        (wFrom, wTo) ->
            evaluate(keys, x, wFrom << 6, Math.min(keys.count, wTo << 6), out, AES.get()));
    return out;
  }

  /** On the calling thread with {@code aes} (tests count its cipher calls). */
  static long[] evaluate(BitDcfKeys keys, long[] x, Aes aes) {
    long[] out = checkedOutput(keys, x);
    evaluate(keys, x, 0, keys.count, out, aes);
    return out;
  }

  private static long[] checkedOutput(BitDcfKeys keys, long[] x) {
    Dcf.checkPoints(keys.count, keys.bits, x);
    return new long[(keys.count + 63) >>> 6];
  }

  /**
   * Keys {@code [from, to)} ({@code from} a multiple of 64): per level ONE cipher call of one block
   * a key (the child x's digit picks), then a primitive loop.
   */
  private static void evaluate(BitDcfKeys keys, long[] x, int from, int to, long[] out, Aes aes) {
    int m = to - from;
    int count = keys.count;
    int digitBits = keys.digitBits;
    int digitMask = (1 << digitBits) - 1;
    int levels = BitDcfKeys.levels(keys.bits, digitBits);
    long[] sLo = java.util.Arrays.copyOfRange(keys.rootLo, from, to);
    long[] sHi = java.util.Arrays.copyOfRange(keys.rootHi, from, to);
    long[] t = new long[m];
    java.util.Arrays.fill(t, -(long) keys.party);
    long[] y = new long[m];
    int[] digit = new int[m];
    long[] cw = keys.cw;
    for (int level = 0; level < levels; level++) {
      int shift = (levels - 1 - level) * digitBits;
      byte[] in = aes.input(m);
      for (int i = 0, p = 0; i < m; i++, p += 16) {
        int c = (int) (x[from + i] >>> shift) & digitMask;
        digit[i] = c;
        LONGS.set(in, p, sLo[i] ^ c);
        LONGS.set(in, p + 8, sHi[i]);
      }
      byte[] o = aes.permute(m);
      int base = level * count + from;
      for (int i = 0, p = 0; i < m; i++, p += 16) {
        int c = digit[i];
        int j = ((base + i) << digitBits | c) << 1;
        long mask = t[i];
        long lo = (long) LONGS.get(o, p) ^ sLo[i] ^ c ^ (mask & cw[j]);
        long hi = (long) LONGS.get(o, p + 8) ^ sHi[i] ^ (mask & cw[j + 1]);
        y[i] ^= lo;
        t[i] = -(lo & 1L);
        sLo[i] = lo & ~3L;
        sHi[i] = hi;
      }
    }
    for (int i = 0; i < m; i++) {
      int k = from + i;
      out[k >>> 6] |= ((y[i] >>> 1) & 1L) << (k & 63);
    }
  }

  /**
   * The fixed-key permutation with growing buffers (a level allocates nothing) and a count of
   * cipher calls. Not thread-safe: one per thread.
   */
  static final class Aes {
    private final FixedKeyAes pi = new FixedKeyAes(KEY);
    private byte[] in = new byte[0];
    private byte[] out = new byte[0];
    private long calls;

    /** The input buffer, at least {@code blocks} blocks long. */
    byte[] input(int blocks) {
      int bytes = 16 * blocks;
      if (in.length < bytes) {
        in = new byte[bytes];
        out = new byte[bytes];
      }
      return in;
    }

    /** π of the first {@code blocks} input blocks, in one call. */
    byte[] permute(int blocks) {
      pi.permute(in, out, blocks);
      calls++;
      return out;
    }

    /**
     * {@code π(s_q ⊕ c)} for every seed q and child {@code c < arity}, block {@code q·arity + c}.
     */
    byte[] children(long[] lo, long[] hi, int seeds, int arity) {
      byte[] b = input(seeds * arity);
      for (int q = 0, p = 0; q < seeds; q++) {
        for (int c = 0; c < arity; c++, p += 16) {
          LONGS.set(b, p, lo[q] ^ c);
          LONGS.set(b, p + 8, hi[q]);
        }
      }
      return permute(seeds * arity);
    }

    long calls() {
      return calls;
    }
  }
}
