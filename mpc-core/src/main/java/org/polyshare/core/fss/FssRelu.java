package org.polyshare.core.fss;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.FssReluKeys;
import org.polyshare.core.kernel.RingThreads;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Tags;

/**
 * ReLU with the dealer by function secret sharing, the truncation by f folded in: shares of {@code
 * ⌊ReLU(x)/2^f⌋} exactly, in two online rounds (the masked input, then two masked bits), with
 * one-bit {@link BitDcf} keys (one AES block per input bit, the low 7 in one leaf).
 *
 * <p><b>Sign.</b> For {@code x ∈ [−2^k, 2^k)} ({@code k = bits ≤ 62}) let {@code y = x + 2^k ∈ [0,
 * 2^(k+1)) ⊂ [0, 2^63)} (party 0 adds the constant) and open {@code c = y + r} (mod 2^64) with the
 * dealer's uniform {@code r}. Since {@code y < 2^(k+1)}, {@code y = (c − r) mod 2^(k+1)}, so its
 * bit k, which is {@code d = [x ≥ 0]}, is
 *
 * <pre>  d = c_k ⊕ r_k ⊕ β,   β = [c mod 2^k < r mod 2^k]</pre>
 *
 * (the borrow of the low k bits into bit k). Every r works, the wrap of {@code y + r} past 2^64
 * included: only bits ≤ k enter. The sign key compares {@code c mod 2^k} with the threshold {@code
 * r mod 2^k} and has the flip {@code ρ ⊕ r_k} (ρ a secret dealer bit), so with party 0 adding
 * {@code c_k} the parties hold XOR shares of {@code e = d ⊕ ρ}.
 *
 * <p><b>Truncation.</b> Write {@code A = c >>> f} and {@code w} for the wrap of {@code y + r};
 * because {@code y < 2^63}, {@code w = msb(r)·(1 − msb(c))}, and in the integers {@code ⌊(y +
 * r)/2^f⌋ = ⌊y/2^f⌋ + (r >>> f) + β'} with {@code β' = [c mod 2^f < r mod 2^f]}. So, mod 2^64,
 *
 * <pre>  ⌊y/2^f⌋ = A − u − β' + W·m,   u = r >>> f,  m = msb r,  W = (1 − msb c)·2^(64−f)</pre>
 *
 * (W = 0 at f = 0, where also β' = 0, u = r). The borrow key (on f bits, threshold {@code r mod
 * 2^f}, flip ρ') gives XOR shares of {@code e' = β' ⊕ ρ'}.
 *
 * <p><b>Second round.</b> The parties open e and e' (one bit each way each); both are uniform
 * whatever x is (one-time pads ρ, ρ'). With them public, {@code d = e ⊕ ρ = e + (1 − 2e)·ρ} and
 * {@code β' = e' + (1 − 2e')·ρ'} are linear in arithmetic shares of ρ and ρ', and so is every
 * product the output needs: for f ≤ k, {@code ⌊x/2^f⌋ = ⌊y/2^f⌋ − 2^(k−f)} and
 *
 * <pre>
 * ⌊ReLU(x)/2^f⌋ = d·⌊x/2^f⌋ = (A − 2^(k−f))·d − d·u − d·β' + W·d·m,
 *   d·u = e·u + (1 − 2e)·ρu,   d·m = e·m + (1 − 2e)·ρm,
 *   d·β' = e·e' + e(1 − 2e')·ρ' + e'(1 − 2e)·ρ + (1 − 2e)(1 − 2e')·ρρ'
 * </pre>
 *
 * from the dealer's shares of {@code ρ, u, ρu, m, ρm, ρ', ρρ'} ({@code ρ, ρr} at f = 0, where the
 * output is {@code d·(c − 2^k − r)}). Every identity holds exactly in Z_2^64: the shares
 * reconstruct to {@code ⌊ReLU(x)/2^f⌋} bit for bit, for every mask.
 *
 * <p><b>Privacy.</b> The opened c is uniform (r is), e and e' are uniform bits, each party's keys
 * alone are pseudorandom ({@link BitDcf}); nothing else is sent.
 *
 * <p><b>Cost per element and party.</b> Online: 8 B and 2 bits each way (1 bit at f = 0), two
 * rounds. Evaluation: {@code (k − 6) + (f − 6)} AES blocks (k, f ≥ 7; 56 + 10 at k = 62, f = 16).
 * Dealer bytes: {@code 16·((k − 6) + (f − 6))} B of key corrections (1056 B at k = 62, f = 16; 896
 * B at f = 0) plus 56 B (16 B at f = 0) of mask correction to one party.
 */
public final class FssRelu {
  private FssRelu() {}

  /** The request of one ReLU layer of {@code n} elements, output shifted by {@code shift}. */
  public static List<CorrelationRequest> requests(int n, int bits, int shift) {
    if (n < 0 || shift < 0) {
      throw new IllegalArgumentException("FSS ReLU of " + n + " elements with shift " + shift);
    }
    return n == 0 ? List.of() : List.of(new CorrelationRequest.FssRelu(n, bits, shift));
  }

  /**
   * Shares of {@code ⌊ReLU(x)/2^shift⌋} for shares {@code x} of values in {@code [−2^bits,
   * 2^bits)}; exact, two rounds. The keys are evaluated on the shared kernel pool.
   */
  public static long[] relu(Party p, long[] x, int bits, int shift) {
    if (bits < 1 || bits > 62 || shift < 0 || shift > bits) {
      throw new IllegalArgumentException(
          "FSS ReLU needs bits in [1, 62] and shift in [0, bits], got bits "
              + bits
              + ", shift "
              + shift);
    }
    int n = x.length;
    if (n == 0) {
      return new long[0];
    }
    FssReluKeys k = p.correlations().fssRelu(n, bits, shift);
    long offset = p.isFirst() ? 1L << bits : 0L;
    long[] r = k.r();
    long[] masked = new long[n];
    for (int i = 0; i < n; i++) {
      masked[i] = x[i] + offset + r[i];
    }
    long[] c = exchange(p, Tags.FSS_RELU, masked, "masked ReLU inputs");
    for (int i = 0; i < n; i++) {
      c[i] += masked[i];
    }
    long[] mine = openingShares(p.id(), k, c, RingThreads.shared());
    long[] opened = exchange(p, Tags.FSS_RELU_BITS, mine, "words of masked ReLU sign bits");
    for (int i = 0; i < opened.length; i++) {
      opened[i] ^= mine[i];
    }
    return output(p.id(), k, c, opened);
  }

  private static long[] exchange(Party p, int tag, long[] mine, String what) {
    p.link().send(tag, mine);
    long[] other = p.link().receiveLongs(tag);
    if (other.length != mine.length) {
      throw new IllegalStateException(
          "protocol error under tag "
              + tag
              + ": expected "
              + mine.length
              + " "
              + what
              + " from "
              + p.link().peerName()
              + ", got "
              + other.length);
    }
    return other;
  }

  /** Words of each packed bit vector of {@code n} elements. */
  static int words(int n) {
    return (n + 63) >>> 6;
  }

  /**
   * Party {@code party}'s XOR shares of {@code e = d ⊕ ρ} (words {@code [0, ⌈n/64⌉)}, bit i of
   * element i) and, at shift > 0, of {@code e' = β' ⊕ ρ'} (the next ⌈n/64⌉ words), from the opened
   * {@code c = x + 2^k + r}; no communication. The keys run on {@code pool} ({@code
   * RingThreads(1)}: one core).
   */
  public static long[] openingShares(int party, FssReluKeys k, long[] c, RingThreads pool) {
    int n = c.length;
    if (k.size() != n || k.sign().party() != party) {
      throw new IllegalArgumentException(
          "FSS ReLU: "
              + n
              + " openings for party "
              + party
              + "'s "
              + k.sign()
              + " ("
              + k.size()
              + " ReLUs)");
    }
    int bits = k.bits();
    int f = k.shift();
    int words = words(n);
    long[] points = new long[n];
    long low = (1L << bits) - 1;
    for (int i = 0; i < n; i++) {
      points[i] = c[i] & low;
    }
    long[] sign = BitDcf.evaluate(k.sign(), points, pool);
    long[] out = java.util.Arrays.copyOf(sign, f == 0 ? words : 2 * words);
    if (party == 0) {
      for (int i = 0; i < n; i++) {
        out[i >>> 6] ^= ((c[i] >>> bits) & 1L) << (i & 63);
      }
    }
    if (f > 0) {
      long lowF = (1L << f) - 1;
      for (int i = 0; i < n; i++) {
        points[i] = c[i] & lowF;
      }
      System.arraycopy(BitDcf.evaluate(k.borrow(), points, pool), 0, out, words, words);
    }
    return out;
  }

  /**
   * Party {@code party}'s shares of {@code ⌊ReLU(x)/2^f⌋} from the opened c and the opened bits
   * {@code e, e'} (layout of {@link #openingShares}); local, linear (the class comment's algebra).
   */
  public static long[] output(int party, FssReluKeys k, long[] c, long[] opened) {
    int n = c.length;
    int f = k.shift();
    int words = words(n);
    if (k.size() != n || opened.length != (f == 0 ? words : 2 * words)) {
      throw new IllegalArgumentException(
          "FSS ReLU: "
              + opened.length
              + " words of opened bits for "
              + n
              + " openings of "
              + k.size()
              + " ReLUs with shift "
              + f);
    }
    boolean first = party == 0;
    long top = 1L << k.bits();
    long[] r = k.r();
    long[] dep = k.dependent();
    long[] out = new long[n];
    if (f == 0) {
      for (int i = 0; i < n; i++) {
        long e = (opened[i >>> 6] >>> (i & 63)) & 1L;
        long d = signed(dep[i], e) + (first ? e : 0);
        long dr = e * r[i] + signed(dep[n + i], e);
        out[i] = (c[i] - top) * d - dr;
      }
      return out;
    }
    long offset = top >>> f;
    long wrap = 1L << (64 - f);
    for (int i = 0; i < n; i++) {
      long e = (opened[i >>> 6] >>> (i & 63)) & 1L;
      long e2 = (opened[words + (i >>> 6)] >>> (i & 63)) & 1L;
      long ci = c[i];
      long rho = dep[i];
      long d = signed(rho, e) + (first ? e : 0);
      long du = e * dep[n + i] + signed(dep[2 * n + i], e);
      long dm = e * dep[3 * n + i] + signed(dep[4 * n + i], e);
      long db =
          e * signed(dep[5 * n + i], e2)
              + e2 * signed(rho, e)
              + signed(signed(dep[6 * n + i], e), e2)
              + (first ? e & e2 : 0);
      long w = ci < 0 ? 0 : wrap;
      out[i] = ((ci >>> f) - offset) * d - du - db + w * dm;
    }
    return out;
  }

  /** {@code (1 − 2b)·z} for a bit b: z, or −z when b = 1. */
  private static long signed(long z, long b) {
    return (z ^ -b) + b;
  }
}
