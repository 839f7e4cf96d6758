package org.polyshare.core.protocol;

import java.util.List;
import org.polyshare.core.correlation.Correlation;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.FusedPowerTuples;
import org.polyshare.core.fss.Dcf;
import org.polyshare.core.kernel.FusedPowerKernel;

/**
 * Truncate and raise to a power with ONE opening: from shares of {@code z} (2f fractional bits, any
 * additive constant such as PolyKerv's {@code cp·2^f} already folded in by party 0) each party gets
 * its share of {@code t^d}, {@code t = ⌊z / 2^f⌋ (+ β)}, for any degree {@code d ∈ [1, 8]}; the
 * output sits at {@code d·f} fractional bits.
 *
 * <p><b>Construction.</b> As in {@link Truncation}: {@code y = z + 2^62 ∈ [0, 2^63)} (party 0 adds
 * the constant), the dealer's uniform {@code r} with shares of {@code u = r >>> f} and the bit
 * {@code m = msb r}; open {@code c = y + r} (uniform whatever y is). With the public {@code a = (c
 * >>> f) − 2^(62−f)} and {@code s = 1 − msb(c)}, {@code K = 2^(64−f)}, the truncation identity of
 * {@link Truncation} reads, over the integers,
 *
 * <pre>  ⌊z/2^f⌋ + β = a − v,   v = u − s·K·m,   β = [(y mod 2^f) + (r mod 2^f) ≥ 2^f] ∈ {0, 1}.
 * </pre>
 *
 * Powers of v stay linear in dealer-shared values once c is public: if {@code s = 0}, {@code v^j =
 * u^j}; if {@code s = 1}, {@code v = u − K·m} with {@code m ∈ {0, 1}}, so {@code v^j = u^j + m·((u
 * − K)^j − u^j)}. Hence {@code v^j = u^j + s·g_j} with the dealer-shared {@code g_j = m·((u − K)^j
 * − u^j)} ({@code g_1 = −K·m}), an identity over the integers and so mod 2^64. The binomial
 * theorem, with public coefficients,
 *
 * <pre>  (a − v)^d = Σ_{j=0..d} C(d, j)·a^(d−j)·(−1)^j·v^j,</pre>
 *
 * is then a local linear combination of shares ({@code v^0 = 1} is added by party 0 alone).
 *
 * <p><b>Exact</b> (the party's mode {@code EXACT}). The borrow β is removed with the DCF of {@link
 * Truncation#exact}: β = {@code [c mod 2^f < r mod 2^f]}, a comparison of a public f-bit point with
 * the dealer's threshold. Then {@code ⌊z/2^f⌋ = a − w}, {@code w = v + β}, and since {@code β^k =
 * β} for k ≥ 1, {@code w^j = v^j + β·Σ_{l<j} C(j, l)·v^l} with {@code β·v^l = β·u^l + s·β·g_l}
 * ({@code β·v^0 = β}). So the DCF carries the vector payload {@code (1, u, …, u^(d−1), g_1, …,
 * g_(d−1))} (width {@code 2d − 1}) and its outputs are shares of β times each: still no extra
 * round.
 *
 * <p><b>Error bound.</b> Every step is an identity in Z_2^64 given {@code z ∈ [−2^62, 2^62)} (the
 * wrap rule needs {@code y ∈ [0, 2^63)}). So with {@code T = ⌊z/2^f⌋}:
 *
 * <ul>
 *   <li>exact: the result is {@code T^d mod 2^64}, exactly, for every such z — a deterministic
 *       function of z;
 *   <li>dealer: the result is {@code (T + β)^d mod 2^64} with {@code β ∈ {0, 1}}. When {@code (|T|
 *       + 1)^d < 2^63} (no wrap of the power itself) the error against {@code T^d} is {@code (T +
 *       1)^d − T^d = Σ_{j<d} C(d, j)·T^j}, at most {@code (|T| + 1)^d − |T|^d ≤ d·(|T| + 1)^(d−1)}
 *       in magnitude: in real terms, for {@code x = T·2^−f}, at most {@code d·(|x| +
 *       2^−f)^(d−1)·2^−f} — one ulp of t carried through the power, never more, and never
 *       catastrophic.
 * </ul>
 *
 * The power is exact ring arithmetic; no further error arises in it (the caller's later truncation
 * of the {@code d·f}-bit output adds its own).
 *
 * <p><b>Cost.</b> One round: each party sends its masked share ({@code 8} bytes per element each
 * way; party 1's goes in the offline phase when its share of z is known before the input, see
 * {@link #openEarly}). Dealer: {@code 16·d} bytes per element to one party (the 2d dependent
 * values); exact adds the DCF correction words to both ({@code 8·(f·(2 + w) + w) + f/4} bytes per
 * element, w = 2d − 1; 668 B at f = 16, d = 2, against 396 B for one exact truncation). Local work:
 * {@code O(d²)} multiply-adds per element (f levels of batched AES more when exact).
 */
public final class FusedPower {
  private FusedPower() {}

  /**
   * Whether the fused path serves {@code mode}: it needs the dealer's tuples (not {@code LOCAL}).
   */
  public static boolean supports(TruncationMode mode) {
    return mode == TruncationMode.DEALER || mode == TruncationMode.EXACT;
  }

  /** The correlation requests of one fused power of {@code n} elements (none for n = 0). */
  public static List<CorrelationRequest> requests(
      TruncationMode mode, int n, int fracBits, int degree) {
    if (n < 0) {
      throw new IllegalArgumentException("fused power of " + n + " elements");
    }
    checkMode(mode);
    return n == 0 ? List.of() : List.of(request(mode, n, fracBits, degree));
  }

  /**
   * Shares of {@code (⌊z/2^f⌋ (+β))^degree} in the party's truncation mode (exact without β); see
   * the class comment. One round, one message of {@code 8·n} bytes each way.
   */
  public static long[] power(Party p, long[] z, int fracBits, int degree) {
    return power(p, prepare(p, z.length, fracBits, degree), z);
  }

  /** One fused power prepared ahead of its opening: its tuples and party 1's early half. */
  public static final class Prepared {
    private final CorrelationRequest.FusedPower request;
    private final FusedPowerTuples tuples;
    private long[] early;
    private boolean used;

    private Prepared(CorrelationRequest.FusedPower request, FusedPowerTuples tuples) {
      this.request = request;
      this.tuples = tuples;
    }

    /** Whether party 1's half of the opening went ahead in the offline phase. */
    public boolean openedEarly() {
      return early != null;
    }
  }

  /**
   * Offline half: draws the tuples of one fused power of {@code n} elements (the request of {@link
   * #requests}) in the party's mode. No communication.
   */
  public static Prepared prepare(Party p, int n, int fracBits, int degree) {
    TruncationMode mode = p.truncationMode();
    checkMode(mode);
    if (n < 0) {
      throw new IllegalArgumentException("fused power of " + n + " elements");
    }
    if (n == 0) {
      return new Prepared(null, null);
    }
    CorrelationRequest.FusedPower req = request(mode, n, fracBits, degree);
    Correlation got = p.correlations().next(req);
    if (!(got instanceof FusedPowerTuples t)) {
      throw new IllegalStateException(
          "correlation source returned "
              + got.getClass().getSimpleName()
              + " where fused power tuples were requested");
    }
    return new Prepared(req, t);
  }

  /**
   * Offline, when party 1's share of z is fixed before the input (its share of an owner-held
   * product): party 1 sends its half {@code z_1 + r_1} of the opening now, party 0 (passing null)
   * receives it; see {@link Truncation#openEarly}, whose privacy argument holds word for word (the
   * same {@code r}, the same opening). Online, {@link #power(Party, Prepared, long[])} is then one
   * message, party 0 to party 1.
   */
  public static void openEarly(Party p, Prepared prep, long[] share) {
    if (prep.tuples != null) {
      prep.early = Truncation.earlyHalf(p, prep.early, prep.tuples.r(), share);
    }
  }

  /**
   * Online half: shares of the power from this party's share of z. One message each way, or after
   * {@link #openEarly} one message from party 0 to party 1 (party 1's z must then be the share it
   * sent early). Either way the receiver computes on each piece as it arrives (DEALER).
   */
  public static long[] power(Party p, Prepared prep, long[] z) {
    return power(p, prep, z, RangeListener.NONE);
  }

  /**
   * {@link #power(Party, Prepared, long[])}, telling {@code ready} each range of the result as it
   * is final: piece by piece as the opening arrives (DEALER), or once when it is whole (EXACT's DCF
   * runs over the batch, or nothing is received).
   */
  public static long[] power(Party p, Prepared prep, long[] z, RangeListener ready) {
    if (prep.used) {
      throw new IllegalStateException("a prepared fused power is single-use; prepare another one");
    }
    prep.used = true;
    if (prep.tuples == null) {
      Beaver.checkLen(z, 0, "fused power input");
      long[] none = new long[0];
      ready.ready(none, 0, 0);
      return none;
    }
    FusedPowerTuples t = prep.tuples;
    int n = t.size();
    Beaver.checkLen(z, n, "fused power input");
    int fracBits = t.fracBits();
    long[] r = t.r();
    boolean half = prep.early != null;
    boolean sends = !half || p.isFirst();
    boolean receives = !half || !p.isFirst();
    // This party's half of c: the masked share it sends, or (party 1 after an early opening) the
    // half it sent offline. DEALER never completes c: the kernel adds the peer's half as it reads.
    long[] mine;
    if (half && !p.isFirst()) {
      mine = prep.early;
    } else {
      long offset = p.isFirst() ? 1L << 62 : 0L;
      mine = new long[n];
      for (int i = 0; i < n; i++) {
        mine[i] = z[i] + offset + r[i];
      }
    }
    if (sends) {
      p.link().sendChunked(Tags.FUSED_POWER, mine); // the link copied what it sent
    }
    Terms terms = new Terms(t, fracBits, t.degree(), prep.request.borrowWidth(), p.isFirst());
    long[] out = new long[n];
    // DEALER: the power of each piece is computed as it arrives, overlapping the wire. EXACT: the
    // borrow DCF runs over the whole batch once c is complete.
    boolean exact = prep.request.exact();
    // EXACT: the opened c = mine + other, completed in place (the early half is kept intact).
    long[] c = !exact ? null : mine == prep.early ? mine.clone() : mine;
    if (receives) {
      p.link()
          .receiveLongs(
              Tags.FUSED_POWER,
              n,
              (piece, at) -> {
                if (exact) {
                  for (int i = 0; i < piece.length; i++) {
                    c[at + i] += piece[i];
                  }
                } else {
                  terms.power(mine, piece, 0, out, at, at + piece.length);
                  ready.ready(out, at, at + piece.length);
                }
              });
    } else if (exact) {
      long[] early = prep.early;
      for (int i = 0; i < n; i++) {
        c[i] += early[i];
      }
    } else {
      terms.power(mine, prep.early, 0, out, 0, n);
      ready.ready(out, 0, n);
    }
    if (exact) {
      long[] low = new long[n];
      long lowMask = (1L << fracBits) - 1;
      for (int i = 0; i < n; i++) {
        low[i] = c[i] & lowMask;
      }
      terms.exact(c, Dcf.evaluate(t.borrow(), low), out, 0, n);
      ready.ready(out, 0, n);
    }
    return out;
  }

  /**
   * The local part: from the public {@code c} (and the borrow shares {@code beta} when exact), each
   * party's share of {@code (a − w)^d} element by element (see the class comment); any split of the
   * elements gives the same result. DEALER mode runs {@link FusedPowerKernel} on the two halves of
   * c; exact stays here.
   */
  private static final class Terms {
    private final int f;
    private final int d;
    private final int w;
    private final boolean first;
    private final long[][] binom;
    private final long[] dep;
    private final int n;
    private final long[] vPow;
    private final long[] bv;
    private final long[] aPow;

    Terms(FusedPowerTuples t, int fracBits, int degree, int borrowWidth, boolean first) {
      this.f = fracBits;
      this.d = degree;
      this.w = borrowWidth;
      this.first = first;
      this.binom = binomials(degree);
      this.dep = t.dependent();
      this.n = t.r().length;
      this.vPow = new long[d + 1];
      this.bv = new long[d];
      this.aPow = new long[d + 1];
      aPow[0] = 1;
      vPow[0] = first ? 1L : 0L;
    }

    /**
     * DEALER: {@code out[i0, i1)} from the halves of c, {@code mine[i0, i1)} and {@code
     * other[otherOff, …)}.
     */
    void power(long[] mine, long[] other, int otherOff, long[] out, int i0, int i1) {
      FusedPowerKernel.power(mine, other, otherOff, dep, n, f, d, first, out, i0, i1);
    }

    /** EXACT: {@code out[i0, i1)} from the opened {@code c[i0, i1)} and the borrow shares. */
    void exact(long[] c, long[] beta, long[] out, int i0, int i1) {
      long bigK = 1L << (64 - f);
      long unshift = 1L << (62 - f);
      for (int i = i0; i < i1; i++) {
        long ci = c[i];
        long sel = (ci >> 63) ^ -1L; // all ones iff msb(c) = 0, i.e. s = 1
        long a = (ci >>> f) - unshift;
        for (int j = 1; j <= d; j++) {
          aPow[j] = aPow[j - 1] * a;
        }
        vPow[1] = dep[i] - (sel & bigK * dep[n + i]);
        for (int j = 2; j <= d; j++) {
          vPow[j] = dep[j * n + i] + (sel & dep[(d + j - 1) * n + i]);
        }
        int base = i * w;
        bv[0] = beta[base];
        for (int l = 1; l < d; l++) {
          bv[l] = beta[base + l] + (sel & beta[base + d - 1 + l]);
        }
        // v^j → w^j = v^j + Σ_{l<j} C(j,l)·β·v^l, from the highest j down (bv holds β·v^l, not
        // v^l).
        for (int j = d; j >= 1; j--) {
          long acc = 0;
          for (int l = 0; l < j; l++) {
            acc += binom[j][l] * bv[l];
          }
          vPow[j] += acc;
        }
        long sum = 0;
        for (int j = 0; j <= d; j++) {
          long term = binom[d][j] * aPow[d - j] * vPow[j];
          sum += (j & 1) == 0 ? term : -term;
        }
        out[i] = sum;
      }
    }
  }

  private static CorrelationRequest.FusedPower request(TruncationMode mode, int n, int f, int d) {
    return new CorrelationRequest.FusedPower(n, f, d, mode == TruncationMode.EXACT);
  }

  private static void checkMode(TruncationMode mode) {
    if (!supports(mode)) {
      throw new IllegalArgumentException(
          "fused truncate-and-power needs the dealer's tuples (truncation mode DEALER or EXACT), not "
              + mode);
    }
  }

  /** Pascal's triangle up to row d, mod 2^64 (exact: the entries are below 2^63 for d ≤ 8). */
  private static long[][] binomials(int d) {
    long[][] b = new long[d + 1][];
    for (int j = 0; j <= d; j++) {
      b[j] = new long[j + 1];
      b[j][0] = 1;
      b[j][j] = 1;
      for (int l = 1; l < j; l++) {
        b[j][l] = b[j - 1][l - 1] + b[j - 1][l];
      }
    }
    return b;
  }
}
