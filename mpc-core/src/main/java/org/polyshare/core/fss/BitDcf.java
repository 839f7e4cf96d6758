package org.polyshare.core.fss;

import static org.polyshare.core.prg.FixedKeyAes.LONGS;

import java.nio.charset.StandardCharsets;
import org.polyshare.core.kernel.RingThreads;
import org.polyshare.core.prg.FixedKeyAes;
import org.polyshare.core.prg.Prg;

/**
 * A distributed comparison function with a one-bit output: the dealer turns thresholds {@code α <
 * 2^n} and secret bits {@code φ} into key pairs; party b evaluates its key alone at a public {@code
 * x < 2^n} and gets a bit {@code y_b} with {@code y_0 ⊕ y_1 = [x < α] ⊕ φ} (unsigned). The FSS ReLU
 * ({@link FssRelu}) opens such XOR shares masked by φ and turns them into arithmetic shares
 * linearly.
 *
 * <p><b>Tree.</b> The top {@code n − ℓ} bits of x ({@code ℓ = min(n, 7)}) walk a binary tree, the
 * low ℓ bits index a 128-bit leaf. Party b holds per node a block whose bit 0 is its control bit
 * {@code t_b}, bits 2–3 are 0 and bits 4–127 its seed {@code s_b} (bit 1 is the node's output bit,
 * XORed into {@code y_b} on arrival). Child c of a node is {@code G_c(s) = π(s ⊕ c) ⊕ (s ⊕ c)} (π
 * fixed-key AES, the Matyas–Meyer–Oseas correlation-robust hash), the leaf {@code G_2(s)}: the
 * tweaks 0, 1, 2 give distinct inputs. Walking into child c, party b takes {@code B = G_c(s_b) ⊕
 * t_b·C_c} with {@code C_c} the level's correction block {@code CW} whose low four bits are
 * replaced by {@code CW}'s bits {@code 2c, 2c + 1} (child c's t and output corrections; the seed
 * part, bits 4–127, is shared by both children). At the leaf it takes {@code Λ = G_2(s_b) ⊕
 * t_b·CW_leaf} and XORs in bit {@code x mod 2^ℓ} of Λ. The key holds one block per inner level and
 * one for the leaf: {@code 16·(n − ℓ + 1)} bytes.
 *
 * <p><b>Invariant.</b> On α's path the seeds are independent and {@code t_0 ⊕ t_1 = 1} (roots
 * fresh, {@code t_0 = 0, t_1 = 1}) and the outputs so far XOR to 0; off it both parties' blocks are
 * equal, so below such a node they compute the same bits and their XOR adds nothing. Let a be α's
 * bit at a level, {@code l = 1 − a} the child leaving the path and {@code Δ_c = G_c(s_0) ⊕
 * G_c(s_1)}. Exactly one party applies the correction, so the children's blocks differ by {@code
 * Δ_c ⊕ C_c}. The dealer sets the seed part of CW to that of {@code Δ_l} (the seeds become equal
 * off the path, as in the BGI tree) and the four bits
 *
 * <pre>  t_c = t(Δ_c) ⊕ [c = a],   v_l = v(Δ_l) ⊕ a ⊕ φ,   v_a = v(Δ_a)</pre>
 *
 * (t, v: bits 0 and 1): off the path the t's become equal and the outputs XOR to {@code a ⊕ φ = [x
 * < α] ⊕ φ} for every x leaving α's path here (x's bit is {@code 1 − a}, below α's exactly when a =
 * 1); on it the t's differ, the outputs add 0 and the seeds differ by the seed part of {@code Δ_a ⊕
 * Δ_l}, pseudorandom. At the leaf, with {@code a = α mod 2^ℓ}, bit j of {@code CW_leaf} is bit j of
 * {@code G_2(s_0) ⊕ G_2(s_1)} XOR {@code [j < a] ⊕ φ}: every x that reaches α's leaf gets {@code [x
 * mod 2^ℓ < a] ⊕ φ = [x < α] ⊕ φ}. The leaf's output needs no seed or control bit, so one block
 * carries 128 children: the last 7 bits cost one block instead of seven.
 *
 * <p><b>Privacy.</b> Party b sees its root and the correction blocks. Every block of CW is masked
 * by {@code G_c(s_{1−b})} of the other party's path seed, which party b never learns (its own seeds
 * are independent of it), so a key is simulatable by uniform strings whatever α and φ are; {@code
 * DcfKeyPrivacyTest} checks it statistically. Seeds are 124 bits.
 *
 * <p><b>Cost.</b> Evaluation: {@code n − ℓ + 1} AES blocks per key and party (40 at n = 46, 10 at n
 * = 16), one cipher call per level over a block of {@link #GRAIN} keys, and one pass over primitive
 * arrays a level; a key is read once, 16 B a level (the 4-ary tree before read a whole 64-byte line
 * of children a level: 2.5 times the bytes at n = 46). The AES is cheap (VAES: ~1 ns a block); the
 * key bytes streamed from memory are the evaluation's real cost. Generation: 4 blocks a key and
 * inner level, 2 for the leaf, no dealer randomness beyond the roots.
 */
public final class BitDcf {
  /** Low input bits resolved by the leaf block: {@code 2^7 = 128} output bits. */
  static final int LEAF_BITS = 7;

  /** Public and constant; a different constant from the other hashes (domain separation). */
  private static final byte[] KEY = "PolyShare bitDCF".getBytes(StandardCharsets.US_ASCII);

  /** The low bits of a node block that are not seed: t, the output bit, two zeros. */
  private static final long NOT_SEED = 15L;

  /** The leaf's tweak (children use 0 and 1). */
  private static final long LEAF = 2L;

  /**
   * Keys per layout block of the corrections ({@link BitDcfKeys}), per chunk of the generation and
   * per evaluation walk: a level's buffers stay in L2 and a walk streams one contiguous run.
   */
  static final int GRAIN = 2048;

  private static final ThreadLocal<Aes> AES = ThreadLocal.withInitial(Aes::new);

  private BitDcf() {}

  /**
   * Key pairs for thresholds {@code alpha[k] < 2^bits} and output flips {@code flip[k] ∈ {0, 1}}
   * (null: none), roots drawn from {@code rng}, which must be the dealer's secret randomness.
   */
  public static BitDcfKeys[] generate(int bits, long[] alpha, long[] flip, Prg rng) {
    int n = alpha.length;
    return generate(
        bits, alpha, flip, rng.nextLongs(n), rng.nextLongs(n), rng.nextLongs(n), rng.nextLongs(n));
  }

  /**
   * As {@link #generate(int, long[], long[], Prg)} with party b's roots {@code (rootLo_b[k],
   * rootHi_b[k])} given (their low four bits are cleared in place): uniform and each known only to
   * its party, e.g. from the party's own dealer seed, so that only the correction blocks travel.
   * Returns {@code {party 0's, party 1's}}.
   */
  public static BitDcfKeys[] generate(
      int bits,
      long[] alpha,
      long[] flip,
      long[] root0Lo,
      long[] root0Hi,
      long[] root1Lo,
      long[] root1Hi) {
    int count = alpha.length;
    BitDcfKeys.checkShape(bits, 0, count);
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
      root0Lo[k] &= ~NOT_SEED;
      root1Lo[k] &= ~NOT_SEED;
    }
    long[] cw = new long[BitDcfKeys.correctionLength(bits, count)];
    Generation g = new Generation(bits, alpha, flip, cw);
    for (int from = 0; from < count; from += GRAIN) {
      g.chunk(root0Lo, root0Hi, root1Lo, root1Hi, from, Math.min(count, from + GRAIN));
    }
    return new BitDcfKeys[] {
      new BitDcfKeys(bits, 0, count, root0Lo, root0Hi, cw),
      new BitDcfKeys(bits, 1, count, root1Lo, root1Hi, cw)
    };
  }

  /**
   * The dealer's walk down both parties' paths, a chunk of keys at a time, one cipher call a level.
   */
  private static final class Generation {
    private final int bits;
    private final int inner;
    private final long[] alpha;
    private final long[] flip;
    private final long[] cw;
    private final Aes aes = new Aes();
    // party 0's path block of key i at index i, party 1's at m + i; t as 0 or −1
    private final long[] sLo = new long[2 * GRAIN];
    private final long[] sHi = new long[2 * GRAIN];
    private final long[] t = new long[2 * GRAIN];

    Generation(int bits, long[] alpha, long[] flip, long[] cw) {
      this.bits = bits;
      this.inner = BitDcfKeys.innerLevels(bits);
      this.alpha = alpha;
      this.flip = flip;
      this.cw = cw;
    }

    void chunk(long[] r0Lo, long[] r0Hi, long[] r1Lo, long[] r1Hi, int from, int to) {
      int m = to - from;
      int count = alpha.length;
      System.arraycopy(r0Lo, from, sLo, 0, m);
      System.arraycopy(r1Lo, from, sLo, m, m);
      System.arraycopy(r0Hi, from, sHi, 0, m);
      System.arraycopy(r1Hi, from, sHi, m, m);
      java.util.Arrays.fill(t, 0, m, 0L);
      java.util.Arrays.fill(t, m, 2 * m, -1L);
      for (int level = 0; level < inner; level++) {
        int pos = bits - 1 - level;
        // blocks 4i + c: party 0's child c; 4i + 2 + c: party 1's
        byte[] in = aes.input(4 * m);
        for (int i = 0, p = 0; i < m; i++, p += 64) {
          putBlock(in, p, sLo[i], sHi[i]);
          putBlock(in, p + 16, sLo[i] ^ 1, sHi[i]);
          putBlock(in, p + 32, sLo[m + i], sHi[m + i]);
          putBlock(in, p + 48, sLo[m + i] ^ 1, sHi[m + i]);
        }
        byte[] o = aes.permute(4 * m);
        for (int i = 0, p = 0; i < m; i++, p += 64) {
          int k = from + i;
          long a = (alpha[k] >>> pos) & 1L;
          long phi = flip == null ? 0 : flip[k];
          // Δ_c = G_c(s_0) ⊕ G_c(s_1); the tweaks c cancel
          long d0Lo = (long) LONGS.get(o, p) ^ (long) LONGS.get(o, p + 32) ^ sLo[i] ^ sLo[m + i];
          long d0Hi =
              (long) LONGS.get(o, p + 8) ^ (long) LONGS.get(o, p + 40) ^ sHi[i] ^ sHi[m + i];
          long d1Lo =
              (long) LONGS.get(o, p + 16) ^ (long) LONGS.get(o, p + 48) ^ sLo[i] ^ sLo[m + i];
          long d1Hi =
              (long) LONGS.get(o, p + 24) ^ (long) LONGS.get(o, p + 56) ^ sHi[i] ^ sHi[m + i];
          long sel = -a; // all ones when a = 1: the path child is 1, the leaving child 0
          long lLo = (d0Lo & sel) | (d1Lo & ~sel);
          long lHi = (d0Hi & sel) | (d1Hi & ~sel);
          long aLo = (d1Lo & sel) | (d0Lo & ~sel);
          // low bits of Δ_l and Δ_a with the corrections: t_l = t(Δ_l), v_l = v(Δ_l) ⊕ a ⊕ φ,
          // t_a = t(Δ_a) ⊕ 1, v_a = v(Δ_a)
          long lBits = (lLo & 3L) ^ ((a ^ phi) << 1);
          long aBits = (aLo & 3L) ^ 1L;
          long bits4 = a == 1 ? lBits | aBits << 2 : aBits | lBits << 2;
          long cLo = (lLo & ~NOT_SEED) | bits4;
          int j = BitDcfKeys.blockIndex(inner, count, level, k);
          cw[j] = cLo;
          cw[j + 1] = lHi;
          long aCorr = (lLo & ~NOT_SEED) | aBits;
          for (int q = i, pq = p + 16 * (int) a; ; q = m + i, pq = p + 32 + 16 * (int) a) {
            long lo = (long) LONGS.get(o, pq) ^ sLo[q] ^ a ^ (t[q] & aCorr);
            long hi = (long) LONGS.get(o, pq + 8) ^ sHi[q] ^ (t[q] & lHi);
            t[q] = -(lo & 1L);
            sLo[q] = lo & ~NOT_SEED;
            sHi[q] = hi;
            if (q == m + i) {
              break;
            }
          }
        }
      }
      leaf(from, m, count);
    }

    /** {@code CW_leaf} bit j = bit j of {@code G_2(s_0) ⊕ G_2(s_1)} ⊕ [j < a] ⊕ φ. */
    private void leaf(int from, int m, int count) {
      int leafMask = (1 << BitDcfKeys.leafBits(bits)) - 1;
      byte[] in = aes.input(2 * m);
      for (int i = 0, p = 0; i < m; i++, p += 32) {
        putBlock(in, p, sLo[i] ^ LEAF, sHi[i]);
        putBlock(in, p + 16, sLo[m + i] ^ LEAF, sHi[m + i]);
      }
      byte[] o = aes.permute(2 * m);
      for (int i = 0, p = 0; i < m; i++, p += 32) {
        int k = from + i;
        int a = (int) alpha[k] & leafMask;
        long phi = -(flip == null ? 0 : flip[k]);
        long belowLo = a >= 64 ? -1L : (1L << a) - 1;
        long belowHi = a <= 64 ? 0L : (1L << (a - 64)) - 1;
        int j = BitDcfKeys.blockIndex(inner, count, inner, k);
        cw[j] =
            (long) LONGS.get(o, p)
                ^ (long) LONGS.get(o, p + 16)
                ^ sLo[i]
                ^ sLo[m + i]
                ^ belowLo
                ^ phi;
        cw[j + 1] =
            (long) LONGS.get(o, p + 8)
                ^ (long) LONGS.get(o, p + 24)
                ^ sHi[i]
                ^ sHi[m + i]
                ^ belowHi
                ^ phi;
      }
    }
  }

  private static void putBlock(byte[] b, int p, long lo, long hi) {
    LONGS.set(b, p, lo);
    LONGS.set(b, p + 8, hi);
  }

  /**
   * Party {@code keys.party()}'s output bits at {@code x[k]} (one point per key), packed: bit
   * {@code k & 63} of word {@code k >>> 6}. Blocks of keys run in parallel on {@code pool} ({@code
   * RingThreads(1)}: the calling thread); the result does not depend on the split.
   */
  public static long[] evaluate(BitDcfKeys keys, long[] x, RingThreads pool) {
    long[] out = checkedOutput(keys, x);
    int words = out.length;
    // whole blocks of GRAIN keys per thread: a block's corrections are one contiguous run
    pool.forEachBlock(
        (keys.count + GRAIN - 1) / GRAIN,
        1,
        (bFrom, bTo) ->
            evaluate(keys, x, bFrom * GRAIN, Math.min(keys.count, bTo * GRAIN), out, AES.get()));
    return out;
  }

  /** On the calling thread with {@code aes} (tests count its cipher calls). */
  static long[] evaluate(BitDcfKeys keys, long[] x, Aes aes) {
    return evaluate(keys, x, aes, LANES);
  }

  /** As {@link #evaluate(BitDcfKeys, long[], Aes)} with the level pass forced (tests). */
  static long[] evaluate(BitDcfKeys keys, long[] x, Aes aes, boolean lanes) {
    long[] out = checkedOutput(keys, x);
    for (int f = 0; f < keys.count; f += GRAIN) {
      walk(keys, x, f, Math.min(keys.count, f + GRAIN), out, aes, lanes);
    }
    return out;
  }

  private static long[] checkedOutput(BitDcfKeys keys, long[] x) {
    Dcf.checkPoints(keys.count, keys.bits, x);
    return new long[(keys.count + 63) >>> 6];
  }

  /**
   * Keys {@code [from, to)} ({@code from} a multiple of {@link #GRAIN}), one layout block a walk.
   */
  private static void evaluate(BitDcfKeys keys, long[] x, int from, int to, long[] out, Aes aes) {
    for (int f = from; f < to; f += GRAIN) {
      walk(keys, x, f, Math.min(to, f + GRAIN), out, aes, LANES);
    }
  }

  /**
   * True when the inner levels run on the Vector API ({@link BitDcfLanes}): {@code
   * jdk.incubator.vector} loaded with the API of JDK 17 (checked by running one level), at least 4
   * long lanes, and {@code -Dpolyshare.kernels} not {@code scalar} (the ring kernels' switch).
   */
  static final boolean LANES = lanesAvailable();

  private static boolean lanesAvailable() {
    if ("scalar".equalsIgnoreCase(System.getProperty("polyshare.kernels", "").trim())) {
      return false;
    }
    try {
      return BitDcfLanes.lanes() >= 4 && BitDcfLanes.links();
    } catch (LinkageError absent) {
      return false;
    }
  }

  /**
   * Keys {@code [from, to)}: per level ONE cipher call of one block a key, then one pass that reads
   * the output, applies the correction and writes the next level's input in place. The node state
   * lives in the input buffer itself (the Matyas–Meyer–Oseas feed-forward {@code s ⊕ c} is the
   * input block), so a level allocates and copies nothing. With {@code lanes} the pass is {@link
   * BitDcfLanes#level}, which keeps the state and the points twice per key (one per word of the
   * block); the words it computes are the scalar pass's.
   */
  private static void walk(
      BitDcfKeys keys, long[] x, int from, int to, long[] out, Aes aes, boolean lanes) {
    int m = to - from;
    int count = keys.count;
    int bits = keys.bits;
    int inner = BitDcfKeys.innerLevels(bits);
    long[] cw = keys.cw;
    long[] rootLo = keys.rootLo;
    long[] rootHi = keys.rootHi;
    int stride = lanes ? 2 : 1;
    // bit 0: the control bit t, bit 1: the output bit so far; key i at stride·i (and the next)
    long[] state = aes.state(stride * m);
    long[] xp = lanes ? aes.points(2 * m) : null;
    byte[] in = aes.input(m);
    long t0 = keys.party;
    for (int i = 0, p = 0; i < m; i++, p += 16) {
      int k = from + i;
      long c = inner == 0 ? LEAF : (x[k] >>> (bits - 1)) & 1L;
      putBlock(in, p, rootLo[k] ^ c, rootHi[k]);
      state[stride * i] = t0;
      if (lanes) {
        state[2 * i + 1] = t0;
        xp[2 * i] = x[k];
        xp[2 * i + 1] = 0;
      }
    }
    for (int level = 0; level < inner; level++) {
      byte[] o = aes.permute(m);
      int next = level + 1 < inner ? bits - 2 - level : -1; // the next level's bit, or the leaf
      int base = keys.cwOffset + BitDcfKeys.blockIndex(inner, count, level, from);
      if (lanes) {
        BitDcfLanes.level(in, o, cw, base, state, xp, next, m);
        continue;
      }
      for (int i = 0, p = 0; i < m; i++, p += 16) {
        long inLo = (long) LONGS.get(in, p);
        int c = (int) inLo & 1;
        long cLo = cw[base + 2 * i];
        long corrLo = (cLo & ~NOT_SEED) | ((cLo >>> (2 * c)) & 3L);
        long mask = -(state[i] & 1L);
        long lo = (long) LONGS.get(o, p) ^ inLo ^ (mask & corrLo);
        long hi =
            (long) LONGS.get(o, p + 8)
                ^ (long) LONGS.get(in, p + 8)
                ^ (mask & cw[base + 2 * i + 1]);
        state[i] = ((state[i] ^ lo) & 2L) | (lo & 1L);
        long tweak = next >= 0 ? (x[from + i] >>> next) & 1L : LEAF;
        putBlock(in, p, (lo & ~NOT_SEED) ^ tweak, hi);
      }
    }
    byte[] o = aes.permute(m);
    int leafMask = (1 << BitDcfKeys.leafBits(bits)) - 1;
    int base = keys.cwOffset + BitDcfKeys.blockIndex(inner, count, inner, from);
    for (int i = 0, p = 0; i < m; i++, p += 16) {
      long st = state[stride * i];
      long mask = -(st & 1L);
      long lo = (long) LONGS.get(o, p) ^ (long) LONGS.get(in, p) ^ (mask & cw[base + 2 * i]);
      long hi =
          (long) LONGS.get(o, p + 8) ^ (long) LONGS.get(in, p + 8) ^ (mask & cw[base + 2 * i + 1]);
      int j = (int) x[from + i] & leafMask;
      long high = -(long) (j >>> 6); // all ones when bit j lies in the high word
      long leafBit = (((lo & ~high) | (hi & high)) >>> (j & 63)) & 1L;
      int k = from + i;
      out[k >>> 6] |= (((st >>> 1) ^ leafBit) & 1L) << (k & 63);
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
    private long[] state = new long[0];
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

    private long[] points = new long[0];

    /** Scratch words of a walk's state, at least {@code words} long. */
    long[] state(int words) {
      if (state.length < words) {
        state = new long[words];
      }
      return state;
    }

    /** Scratch words of a walk's points in pairs (the vector pass), at least {@code words}. */
    long[] points(int words) {
      if (points.length < words) {
        points = new long[words];
      }
      return points;
    }

    /** π of the first {@code blocks} input blocks, in one call. */
    byte[] permute(int blocks) {
      pi.permute(in, out, blocks);
      calls++;
      return out;
    }

    long calls() {
      return calls;
    }
  }
}
