package org.polyshare.core.fss;

import org.polyshare.core.kernel.RingThreads;
import org.polyshare.core.prg.Prg;

/**
 * Distributed comparison function (Boyle, Chandran, Gilboa, Gupta, Ishai, Kumar, Rathee, Eurocrypt
 * 2021, ePrint 2020/1392, the tree DCF after Boyle–Gilboa–Ishai): the dealer turns a threshold
 * {@code α} and a payload {@code β ∈ Z_2^64} on {@code n}-bit inputs into two keys; party b
 * evaluates its key alone at a public {@code x} and gets {@code y_b} with {@code y_0 + y_1 = β·[x <
 * α]} (unsigned comparison of n-bit values) in Z_2^64. Each key alone is pseudorandom whatever α
 * and β are.
 *
 * <p><b>Construction.</b> A binary tree of depth n walked from the top bit of x; each party holds a
 * 127-bit seed {@code s_b} and a control bit {@code t_b} per node, children from {@link TreePrg}:
 * {@code G(s) = (s_L, t_L, s_R, t_R, v_L, v_R)}. Invariant: on α's path the parties' seeds are
 * independent and {@code t_0 ⊕ t_1 = 1}; off it they are equal, with equal t. Roots: fresh seeds,
 * {@code t_0 = 0, t_1 = 1}. At level i (bit {@code a = α_i}) the path goes to the child {@code keep
 * = a}; the other child {@code lose} leaves it. A party with {@code t = 1} XORs the correction
 * {@code s_CW = s_0^lose ⊕ s_1^lose} into both children's seeds, and {@code t_CW^c} into {@code
 * t^c}: with {@code t_CW^L = t_0^L ⊕ t_1^L ⊕ a ⊕ 1}, {@code t_CW^R = t_0^R ⊕ t_1^R ⊕ a}, exactly
 * one of the two parties (the one with t = 1) corrects, so the lose child gets equal seeds and
 * equal t, and the keep child keeps {@code t_0 ⊕ t_1 = 1}. Below a node with equal seeds and t the
 * parties compute the same thing forever.
 *
 * <p><b>Values.</b> Party b adds {@code (−1)^b·(v^c + t·V_CW)} for the child c it walks into, with
 * t the parent's control bit, and at the leaf {@code (−1)^b·(Conv(s) + t·CW^(n+1))}, {@code
 * Conv(s)} the seed's high word. Let {@code V} be the sum the two parties have accumulated along
 * α's path and {@code σ = (−1)^(t_1)} at the parent, so {@code t_0 − t_1 = σ} there. Entering the
 * lose child adds {@code v_0^lose − v_1^lose + σ·V_CW}; the dealer sets {@code V_CW = σ·(v_1^lose −
 * v_0^lose − V + [a = 1]·β)}, so that sum becomes {@code [a = 1]·β}: nothing more is added below it
 * (equal seeds, equal t cancel), and {@code a = 1} with x going left is exactly "x agrees with α
 * above bit i and has 0 where α has 1", i.e. {@code x < α}. Along the path {@code V} grows by
 * {@code v_0^keep − v_1^keep + σ·V_CW}; at the leaf x = α the final {@code CW^(n+1) = σ·(Conv(s_1)
 * − Conv(s_0) − V)} brings the sum to 0 ({@code α ≮ α}). Every x leaves α's path at its first
 * differing bit or reaches the leaf, so {@code y_0 + y_1 = β·[x < α]}.
 *
 * <p><b>Vector payloads.</b> With width w the payload is {@code β ∈ (Z_2^64)^w}: the same tree
 * (same seeds, same control bits, same {@code s_CW, t_CW}) carries w value words per node — {@link
 * TreePrg} adds one block per extra word — and w value and leaf corrections, each set by the rule
 * above component by component. One comparison, w outputs, for {@code 16 + 8w} bytes a level
 * instead of w keys' {@code 24·w}. {@code Conv(s)} is the seed's high word for component 0 and the
 * words of {@code π(s ⊕ 2) ⊕ (s ⊕ 2), π(s ⊕ 3) ⊕ (s ⊕ 3), …} for the others.
 *
 * <p><b>Privacy.</b> Party b sees its root and the correction words. Each {@code s_CW} is masked by
 * {@code s_{1−b}^lose}, each {@code V_CW} by {@code v_{1−b}^lose}, {@code CW^(n+1)} by {@code
 * Conv(s_{1−b})} and each {@code t_CW} by {@code t_{1−b}}: outputs of the other party's seed on α's
 * path, which party b never learns (its own correction only turns its path seed into another
 * pseudorandom value). So the key is simulatable by uniform strings.
 *
 * <p><b>Cost.</b> Generation expands both parties' seeds of a whole batch in ONE AES call of {@code
 * 2·(2 + 2⌈w/2⌉)·count} blocks per level at w ≥ 2 ({@code 6·count} at w = 1); evaluation walks one
 * child and expands only it: one call of {@code (1 + ⌈w/2⌉)·count} blocks per level ({@code
 * 2·count} at w = 1 and 2), in parallel blocks of keys. Per key and party that is {@code 2·bits}
 * AES blocks plus, at w ≥ 2, one for the leaf, and about {@code 10 + 3w} word operations a level.
 * Keys: see {@link DcfKeys}.
 */
public final class Dcf {
  private Dcf() {}

  /** Key pairs with payload 1: the parties' outputs sum to the bit {@code [x < α]} in Z_2^64. */
  public static DcfKeys[] generate(int bits, long[] alpha, Prg rng) {
    return generate(bits, alpha, null, rng);
  }

  /**
   * Key pairs for thresholds {@code alpha[k] < 2^bits} and payloads {@code payload[k]} (null: all
   * 1); returns {@code {party 0's keys, party 1's keys}}. {@code rng} draws the root seeds; it must
   * be the dealer's secret randomness.
   */
  public static DcfKeys[] generate(int bits, long[] alpha, long[] payload, Prg rng) {
    return generate(bits, 1, alpha, payload, rng);
  }

  /**
   * Width-{@code width} payloads, {@code payload[k·width + j]} component j of key k (null: all 1).
   */
  public static DcfKeys[] generate(int bits, int width, long[] alpha, long[] payload, Prg rng) {
    int count = alpha.length;
    DcfKeys.checkShape(bits, 0, count);
    long[] lo = rng.nextLongs(2 * count);
    long[] hi = rng.nextLongs(2 * count);
    return generate(
        bits,
        width,
        alpha,
        payload,
        java.util.Arrays.copyOfRange(lo, 0, count),
        java.util.Arrays.copyOfRange(hi, 0, count),
        java.util.Arrays.copyOfRange(lo, count, 2 * count),
        java.util.Arrays.copyOfRange(hi, count, 2 * count));
  }

  /**
   * As {@link #generate(int, int, long[], long[], Prg)} with the parties' root seeds given: party
   * b's root k is {@code (rootLo_b[k], rootHi_b[k])}, its low bit ignored (cleared in the arrays).
   * The roots must be uniform and each known only to its party — e.g. drawn from the party's own
   * dealer seed, so that only the correction words travel ({@link DcfKeys#correctionWords()}).
   */
  public static DcfKeys[] generate(
      int bits,
      int width,
      long[] alpha,
      long[] payload,
      long[] root0Lo,
      long[] root0Hi,
      long[] root1Lo,
      long[] root1Hi) {
    int count = alpha.length;
    DcfKeys.checkShape(bits, width, 0, count);
    if (payload != null && payload.length != (long) count * width) {
      throw new IllegalArgumentException(
          "DCF payloads ("
              + payload.length
              + " words) do not match "
              + count
              + " thresholds of width "
              + width);
    }
    if (root0Lo.length != count
        || root0Hi.length != count
        || root1Lo.length != count
        || root1Hi.length != count) {
      throw new IllegalArgumentException("DCF root seeds do not match " + count + " thresholds");
    }
    for (int k = 0; k < count; k++) {
      checkRange(bits, alpha[k], "threshold");
      root0Lo[k] &= ~1L;
      root1Lo[k] &= ~1L;
    }
    int w = width;
    int both = 2 * count;
    long[] sLo = new long[both];
    long[] sHi = new long[both];
    System.arraycopy(root0Lo, 0, sLo, 0, count);
    System.arraycopy(root1Lo, 0, sLo, count, count);
    System.arraycopy(root0Hi, 0, sHi, 0, count);
    System.arraycopy(root1Hi, 0, sHi, count, count);
    long[] t = new long[both];
    java.util.Arrays.fill(t, count, both, 1L);

    int levels = bits * count;
    long[] cwSeedLo = new long[levels];
    long[] cwSeedHi = new long[levels];
    long[] cwValue = new long[levels * w];
    long[] cwT = new long[DcfKeys.tWords(bits, count)];
    long[] cwFinal = new long[count * w];
    long[] pathSum = new long[count * w];
    long[] childLo = new long[2 * both];
    long[] childHi = new long[2 * both];
    long[] v = new long[2 * both * w];
    TreePrg prg = new TreePrg();

    for (int level = 0; level < bits; level++) {
      int pos = bits - 1 - level;
      prg.expand(sLo, sHi, both, childLo, childHi, v, w);
      for (int k = 0; k < count; k++) {
        int a = (int) (alpha[k] >>> pos) & 1;
        int q0 = k;
        int q1 = count + k;
        int lose0 = 2 * q0 + (1 - a);
        int lose1 = 2 * q1 + (1 - a);
        int keep0 = 2 * q0 + a;
        int keep1 = 2 * q1 + a;
        long sCwLo = (childLo[lose0] ^ childLo[lose1]) & ~1L;
        long sCwHi = childHi[lose0] ^ childHi[lose1];
        long neg = -t[q1]; // σ = −1 iff t_1 = 1; σ·z = (z ^ neg) − neg
        int j = level * count + k;
        for (int c = 0; c < w; c++) {
          int kc = k * w + c;
          long vCw = v[lose1 * w + c] - v[lose0 * w + c] - pathSum[kc];
          if (a == 1) {
            vCw += payload == null ? 1L : payload[kc];
          }
          vCw = (vCw ^ neg) - neg;
          pathSum[kc] += v[keep0 * w + c] - v[keep1 * w + c] + ((vCw ^ neg) - neg);
          cwValue[j * w + c] = vCw;
        }
        long tCwL = (childLo[2 * q0] ^ childLo[2 * q1] ^ a ^ 1) & 1L;
        long tCwR = (childLo[2 * q0 + 1] ^ childLo[2 * q1 + 1] ^ a) & 1L;
        cwSeedLo[j] = sCwLo;
        cwSeedHi[j] = sCwHi;
        cwT[j >>> 5] |= (tCwL | tCwR << 1) << ((j & 31) << 1);
        long tCwKeep = a == 0 ? tCwL : tCwR;
        for (int q = q0, keep = keep0; ; q = q1, keep = keep1) {
          long m = -t[q];
          sLo[q] = (childLo[keep] & ~1L) ^ (m & sCwLo);
          sHi[q] = childHi[keep] ^ (m & sCwHi);
          t[q] = (childLo[keep] & 1L) ^ (t[q] & tCwKeep);
          if (q == q1) {
            break;
          }
        }
      }
    }
    long[] conv = convert(prg, sLo, sHi, both, w);
    for (int k = 0; k < count; k++) {
      long neg = -t[count + k];
      for (int c = 0; c < w; c++) {
        long z = conv[(count + k) * w + c] - conv[k * w + c] - pathSum[k * w + c];
        cwFinal[k * w + c] = (z ^ neg) - neg;
      }
    }
    // The correction words are common to both keys; the arrays are never written after this.
    return new DcfKeys[] {
      new DcfKeys(bits, w, 0, count, root0Lo, root0Hi, cwSeedLo, cwSeedHi, cwValue, cwT, cwFinal),
      new DcfKeys(bits, w, 1, count, root1Lo, root1Hi, cwSeedLo, cwSeedHi, cwValue, cwT, cwFinal)
    };
  }

  /** Keys per block of a parallel evaluation: enough to keep each AES call long. */
  static final int GRAIN = 2048;

  private static final ThreadLocal<TreePrg> PRGS = ThreadLocal.withInitial(TreePrg::new);

  /**
   * Party {@code keys.party()}'s shares of {@code β_k·[x[k] < α_k]}, one point per key; component j
   * of key k at {@code k·width + j}. The keys are split into contiguous blocks evaluated in
   * parallel on the {@link RingThreads#shared()} pool (each block level by level, one AES call per
   * level); the result does not depend on the split.
   */
  public static long[] evaluate(DcfKeys keys, long[] x) {
    return evaluate(keys, x, RingThreads.shared());
  }

  /** As {@link #evaluate(DcfKeys, long[])} on {@code pool} ({@code RingThreads(1)}: one core). */
  public static long[] evaluate(DcfKeys keys, long[] x, RingThreads pool) {
    long[] out = checkedOutput(keys, x);
    pool.forEachBlock(
        keys.count, GRAIN, (from, to) -> evaluate(keys, x, from, to, out, PRGS.get()));
    return out;
  }

  /** On the calling thread with {@code prg} (tests count its AES calls). */
  static long[] evaluate(DcfKeys keys, long[] x, TreePrg prg) {
    long[] out = checkedOutput(keys, x);
    evaluate(keys, x, 0, keys.count, out, prg);
    return out;
  }

  private static long[] checkedOutput(DcfKeys keys, long[] x) {
    checkPoints(keys.count, keys.bits, x);
    return new long[keys.count * keys.width];
  }

  /** One point per key, each below {@code 2^bits}; refuses otherwise with the reason. */
  static void checkPoints(int count, int bits, long[] x) {
    if (x.length != count) {
      throw new IllegalArgumentException(
          "DCF evaluation needs one point per key: " + count + " keys, " + x.length + " points");
    }
    for (long v : x) {
      checkRange(bits, v, "point");
    }
  }

  /**
   * Keys {@code [from, to)} into {@code acc[from·w, to·w)}: per level ONE {@link
   * TreePrg#expandChild} call over the block (the child x's bit picks, {@code 1 + ⌈w/2⌉} AES blocks
   * a key), then primitive loops; the arrays are allocated once per block, not per level.
   */
  private static void evaluate(DcfKeys keys, long[] x, int from, int to, long[] acc, TreePrg prg) {
    int count = keys.count;
    int bits = keys.bits;
    int w = keys.width;
    int m = to - from;
    long[] sLo = java.util.Arrays.copyOfRange(keys.rootLo, from, to);
    long[] sHi = java.util.Arrays.copyOfRange(keys.rootHi, from, to);
    long[] t = new long[m];
    java.util.Arrays.fill(t, keys.party);
    long[] childLo = new long[m];
    long[] childHi = new long[m];
    long[] v = new long[m * w];
    long[] cwSeedLo = keys.cwSeedLo;
    long[] cwSeedHi = keys.cwSeedHi;
    long[] cwValue = keys.cwValue;
    long[] cwT = keys.cwT;
    for (int level = 0; level < bits; level++) {
      int pos = bits - 1 - level;
      prg.expandChild(sLo, sHi, x, from, pos, m, childLo, childHi, v, w);
      int base = level * count + from;
      for (int i = 0; i < m; i++) {
        int c = (int) (x[from + i] >>> pos) & 1;
        int j = base + i;
        long mask = -t[i];
        int a = (from + i) * w;
        for (int e = 0; e < w; e++) {
          acc[a + e] += v[i * w + e] + (mask & cwValue[j * w + e]);
        }
        long tCw = (cwT[j >>> 5] >>> (((j & 31) << 1) + c)) & 1L;
        long lo = childLo[i];
        sLo[i] = (lo & ~1L) ^ (mask & cwSeedLo[j]);
        sHi[i] = childHi[i] ^ (mask & cwSeedHi[j]);
        t[i] = (lo & 1L) ^ (t[i] & tCw);
      }
    }
    long[] conv = convert(prg, sLo, sHi, m, w);
    long[] cwFinal = keys.cwFinal;
    boolean negate = keys.party == 1;
    for (int i = 0; i < m; i++) {
      long mask = -t[i];
      for (int e = 0; e < w; e++) {
        int ke = (from + i) * w + e;
        long y = acc[ke] + conv[i * w + e] + (mask & cwFinal[ke]);
        acc[ke] = negate ? -y : y;
      }
    }
  }

  /**
   * {@code Conv(s)} of the leaf seeds, w words each: the high word, then (w ≥ 2, one more AES call)
   * the value words of {@link TreePrg#leafWords}.
   */
  private static long[] convert(TreePrg prg, long[] sLo, long[] sHi, int count, int w) {
    if (w == 1) {
      return java.util.Arrays.copyOf(sHi, count);
    }
    long[] extra = prg.leafWords(sLo, sHi, count, w - 1);
    long[] conv = new long[count * w];
    for (int k = 0; k < count; k++) {
      conv[k * w] = sHi[k];
      System.arraycopy(extra, k * (w - 1), conv, k * w + 1, w - 1);
    }
    return conv;
  }

  static void checkRange(int bits, long value, String what) {
    if (bits < 64 && value >>> bits != 0) {
      throw new IllegalArgumentException(
          "DCF "
              + what
              + " "
              + Long.toUnsignedString(value)
              + " does not fit in "
              + bits
              + " bits");
    }
  }
}
