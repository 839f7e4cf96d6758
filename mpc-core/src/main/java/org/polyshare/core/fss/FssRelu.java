package org.polyshare.core.fss;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.FssReluKeys;
import org.polyshare.core.kernel.RingThreads;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Tags;
import org.polyshare.core.protocol.Truncation;

/**
 * ReLU with the dealer by function secret sharing: the parties open the masked input once and
 * evaluate DCF keys locally (the one-comparison ReLU of Boyle et al., Eurocrypt 2021, in the form
 * of PolyShare's exact truncation); an optional exact truncation follows in a second round.
 *
 * <p><b>Sign.</b> For {@code x ∈ [−2^k, 2^k)} ({@code k = bits ≤ 62}) let {@code y = x + 2^k ∈ [0,
 * 2^(k+1)) ⊂ [0, 2^63)} (party 0 adds the constant) and open {@code c = y + r} with the dealer's
 * uniform {@code r}. Then {@code d = [x ≥ 0] = ⌊y / 2^k⌋}, and the exact-truncation identity (see
 * {@link Truncation}) gives it linearly in dealer-shared values: with {@code P = c >>> k}, {@code W
 * = (1 − msb c)·2^(64−k)} (public), {@code u = r >>> k}, {@code m = msb r} and the borrow {@code β
 * = [c mod 2^k < r mod 2^k]},
 *
 * <pre>  d = P − u − β + W·m.</pre>
 *
 * The top-bit wrap of {@code y + r} past 2^64 is the {@code W·m} term, so every r works, including
 * the wrap-around masks.
 *
 * <p><b>ReLU.</b> In Z_2^64 {@code x = c − 2^k − r}, so {@code ReLU(x) = d·x = (c − 2^k)·d − r·d},
 * the first term linear in d's shares (c is public) and
 *
 * <pre>  r·d = P·r − r·u − β·r + W·(r·m).</pre>
 *
 * The dealer shares {@code r, u, m, r·u, r·m} (seed-compressed) and, per element, ONE DCF key pair
 * on k-bit inputs with threshold {@code r mod 2^k} and the two-word payload {@code (1, r)}: shares
 * of β and of β·r from one tree walk. Every identity is exact, so the shares reconstruct to {@code
 * ReLU(x)} exactly. The n keys of a layer are one DCF batch, split into blocks of keys over the
 * kernel pool: per block k + 1 AES calls (one per level of 2 blocks a key — the walked child's seed
 * and its two value words — and one for the leaves' second word), so {@code 2k + 1 = 125} AES
 * blocks per ReLU and party at k = 62.
 *
 * <p><b>Truncation.</b> {@code ⌊ReLU(x)/2^f⌋ = ReLU(⌊x/2^f⌋)}; folding the floor into the same
 * opening would need the product of the sign borrow and the truncation borrow, which no linear
 * combination of dealer values gives. So a shift {@code f > 0} runs {@link Truncation#exact} on the
 * ReLU's output: a second round, exact. Two online rounds, one ring element each way per round per
 * element.
 *
 * <p><b>Privacy.</b> The opened {@code c} is uniform (r is), the DCF keys each alone are
 * pseudorandom, and the output shares are fresh: nothing depends on x but the output.
 *
 * <p><b>Cost per element and party</b> (dealer bytes): the key's correction words, {@code 8·(4k +
 * 2) + k/4} B (1306 B at k = 40, 2015.5 B at k = 62; two scalar keys would be 1956 and 3023 B),
 * plus 32 B of mask correction to one party; then the exact truncation's 396 B at f = 16.
 */
public final class FssRelu {
  private FssRelu() {}

  /** The requests of one ReLU layer of {@code n} elements: the keys, then the truncation's. */
  public static List<CorrelationRequest> requests(int n, int bits, int shift) {
    if (n < 0 || shift < 0) {
      throw new IllegalArgumentException("FSS ReLU of " + n + " elements with shift " + shift);
    }
    if (n == 0) {
      return List.of();
    }
    CorrelationRequest keys = new CorrelationRequest.FssRelu(n, bits);
    return shift == 0
        ? List.of(keys)
        : List.of(keys, new CorrelationRequest.ExactTruncation(n, shift));
  }

  /**
   * Shares of {@code ⌊ReLU(x)/2^shift⌋} ({@code shift = 0}: of {@code ReLU(x)}) for shares {@code
   * x} of values in {@code [−2^bits, 2^bits)}; exact. One round, two with a shift.
   */
  public static long[] relu(Party p, long[] x, int bits, int shift) {
    return relu(p, x, bits, shift, null);
  }

  /** With {@code prg} on the calling thread, or (null) in parallel on the shared kernel pool. */
  static long[] relu(Party p, long[] x, int bits, int shift, TreePrg prg) {
    if (bits < 1 || bits > 62) {
      throw new IllegalArgumentException(
          "FSS ReLU input bound must be 2^bits with bits in [1, 62], got " + bits);
    }
    int n = x.length;
    if (n == 0) {
      return new long[0];
    }
    FssReluKeys k = p.correlations().fssRelu(n, bits);
    boolean first = p.isFirst();
    long offset = first ? 1L << bits : 0L;
    long[] r = k.r();
    long[] masked = new long[n];
    for (int i = 0; i < n; i++) {
      masked[i] = x[i] + offset + r[i];
    }
    p.link().send(Tags.FSS_RELU, masked);
    long[] other = p.link().receiveLongs(Tags.FSS_RELU);
    if (other.length != n) {
      throw new IllegalStateException(
          "protocol error under tag "
              + Tags.FSS_RELU
              + ": expected "
              + n
              + " masked ReLU inputs from "
              + p.link().peerName()
              + ", got "
              + other.length);
    }
    long[] c = new long[n];
    for (int i = 0; i < n; i++) {
      c[i] = masked[i] + other[i];
    }
    long[] out =
        prg == null ? evaluate(p.id(), k, c, RingThreads.shared()) : evaluate(p.id(), k, c, prg);
    return shift == 0 ? out : Truncation.exact(p, out, shift);
  }

  /**
   * Party {@code party}'s shares of {@code ReLU(x)} from the opened {@code c = x + 2^k + r} and its
   * material; no communication. See the class comment for the algebra. The DCF runs in parallel on
   * the shared kernel pool.
   */
  public static long[] evaluate(int party, FssReluKeys k, long[] c) {
    return evaluate(party, k, c, RingThreads.shared());
  }

  /**
   * As {@link #evaluate(int, FssReluKeys, long[])} on {@code pool} ({@code RingThreads(1)}: one
   * core).
   */
  public static long[] evaluate(int party, FssReluKeys k, long[] c, RingThreads pool) {
    return combine(party, k, c, Dcf.evaluate(k.keys(), points(party, k, c), pool));
  }

  static long[] evaluate(int party, FssReluKeys k, long[] c, TreePrg prg) {
    return combine(party, k, c, Dcf.evaluate(k.keys(), points(party, k, c), prg));
  }

  /** The DCF's points: the opened values' low k bits, after checking the material fits. */
  private static long[] points(int party, FssReluKeys k, long[] c) {
    int n = c.length;
    if (k.size() != n || k.keys().party() != party) {
      throw new IllegalArgumentException(
          "FSS ReLU: "
              + n
              + " openings for party "
              + party
              + "'s "
              + k.keys()
              + " ("
              + k.size()
              + " ReLUs)");
    }
    long[] points = new long[n];
    long low = (1L << k.bits()) - 1;
    for (int i = 0; i < n; i++) {
      points[i] = c[i] & low;
    }
    return points;
  }

  /** The shares of ReLU from the DCF's {@code y[2i] = ⟨β_i⟩, y[2i + 1] = ⟨β_i·r_i⟩}. */
  private static long[] combine(int party, FssReluKeys k, long[] c, long[] y) {
    int n = c.length;
    int bits = k.bits();
    boolean first = party == 0;
    long[] r = k.r();
    long[] u = k.rShifted();
    long[] m = k.msb();
    long[] ru = k.rTimesShifted();
    long[] rm = k.rTimesMsb();
    int up = 64 - bits;
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      long ci = c[i];
      long pub = ci >>> bits;
      long noTopBit = (ci >> 63) ^ -1L; // W = (1 − msb c)·2^(64−k) as a mask on the shifted terms
      long d = (m[i] << up & noTopBit) - u[i] - y[2 * i];
      long rd = pub * r[i] - ru[i] - y[2 * i + 1] + (rm[i] << up & noTopBit);
      if (first) {
        d += pub;
      }
      out[i] = (ci - (1L << bits)) * d - rd;
    }
    return out;
  }
}
