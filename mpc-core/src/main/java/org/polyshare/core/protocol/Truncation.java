package org.polyshare.core.protocol;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.ExactTruncationTuples;
import org.polyshare.core.correlation.TruncationTuples;
import org.polyshare.core.fss.Dcf;

/**
 * Scaling shared values down by {@code 2^f} (after a fixed-point product).
 *
 * <p><b>Dealer-assisted</b> (one round). Let {@code x ∈ [−2^62, 2^62)} be the secret, {@code y = x
 * + 2^62 ∈ [0, 2^63)} (party 0 adds the constant) and {@code r} uniform from the dealer with shares
 * of {@code r >>> f} and of the bit {@code msb(r)}. The parties open {@code c = y + r mod 2^64},
 * uniform whatever {@code y} is. Over the integers either {@code y + r = c} (no wrap) or {@code y +
 * r = c + 2^64} (wrap). Since {@code y < 2^63}: if {@code msb(r) = 0} there is no wrap; if {@code
 * msb(r) = 1}, a wrap gives {@code c = y + r − 2^64 < y < 2^63} (so {@code msb(c) = 0}) and no wrap
 * gives {@code c ≥ r ≥ 2^63} ({@code msb(c) = 1}). Hence {@code wrap = msb(r)·(1 − msb(c))}, which
 * is linear in the shared bit {@code msb(r)} because {@code c} is public. Splitting off the low
 * {@code f} bits, {@code ⌊(y + r)/2^f⌋ = ⌊y/2^f⌋ + ⌊r/2^f⌋ + β} with the borrow {@code β = [(y mod
 * 2^f) + (r mod 2^f) ≥ 2^f] ∈ {0, 1}}, so
 *
 * <pre>  y >>> f = (c >>> f) − (r >>> f) + wrap·2^(64−f) − β.</pre>
 *
 * The protocol omits {@code β}; subtracting {@code 2^(62−f)} undoes the shift. The result is {@code
 * ⌊x / 2^f⌋ + β}: never below the floor, at most one ulp above it — so within one ulp of both floor
 * and round-to-nearest, for every {@code x} in range, with no catastrophic failure. All terms are
 * computed mod 2^64, where the shares of {@code wrap·2^(64−f)} are {@code (1 −
 * msb(c))·2^(64−f)·msb(r)_i}.
 *
 * <p><b>Exact</b> (one round, the same single opening). The borrow is a comparison of the public
 * f-bit value {@code c mod 2^f} with the dealer-shared threshold {@code r mod 2^f}: since {@code c
 * mod 2^f = (y mod 2^f + r mod 2^f) mod 2^f}, the low sum overflows exactly when {@code c mod 2^f <
 * r mod 2^f}. The dealer adds a DCF key pair for that threshold (payload 1, output additive in
 * Z_2^64); each party evaluates its key at {@code c mod 2^f} locally and subtracts its share of β.
 * Every step above is an identity, so the result is {@code ⌊x / 2^f⌋} exactly (the floor, toward
 * −∞) for every {@code x ∈ [−2^62, 2^62)}; outside it {@code y} leaves {@code [0, 2^63)} and the
 * wrap rule fails (as in the dealer mode). The output is a deterministic function of {@code x}: no
 * randomised rounding reaches what a party learns. Cost: f levels of batched AES per party ({@link
 * Dcf}) and {@code 8·(3f+1) + f/4} key bytes per element per party from the dealer (396 B at f =
 * 16).
 *
 * <p><b>Local</b> (SecureML, zero rounds): party 0 computes {@code x0 >> f}, party 1 {@code −((−x1)
 * >> f)}. With uniformly random shares, the signed sum {@code x0 + x1} overflows — and the result
 * is off by {@code ±2^(64−f)} — with probability exactly {@code |x| / 2^64}; otherwise the error is
 * at most one ulp.
 *
 * <p><b>Early half</b> ({@link #prepare}, {@link #openEarly}, {@link #finish}). The opening is two
 * words per element, {@code x_0 + 2^62 + r_0} from party 0 and {@code x_1 + r_1} from party 1. When
 * {@code x_1} is fixed before the input exists — party 1's share of an owner-held product is the
 * dealer-derived {@code A_1 ⊗ F + C_1} ({@link FixedWeightLinear}) — party 1 sends its word in the
 * offline phase and the online opening is one message, party 0 to party 1. The arithmetic is
 * unchanged, so are the error bounds above. Privacy: each party receives the same words as in the
 * one-phase opening, only at another time. Party 0's early word {@code x_1 + r_1} is uniform and
 * independent of party 1's input: {@code r_1} is party 1's additive share of the dealer's uniform
 * {@code r} (independent of everything party 0 holds, its own share {@code r_0} included), and
 * {@code x_1} itself depends on no input; together with party 0's online half it gives {@code c},
 * uniform as before. Party 1's view (party 0's half, online) is exactly the one-phase view, so it
 * stays independent of the weights.
 */
public final class Truncation {
  private Truncation() {}

  /** Truncates by the party's fractional bits in the party's mode. */
  public static long[] truncate(Party p, long[] x) {
    return truncate(p, x, p.fixedPoint().fracBits());
  }

  /** Truncates by {@code bits} ∈ [1, 62] in the party's mode. */
  public static long[] truncate(Party p, long[] x, int bits) {
    return finish(p, prepare(p, x.length, bits), x);
  }

  /**
   * The correlation requests one truncation of {@code n} elements by {@code bits} makes in {@code
   * mode}, in fetch order (none for {@code LOCAL} or {@code n = 0}). Plans are built from it.
   */
  public static List<CorrelationRequest> requests(TruncationMode mode, int n, int bits) {
    checkBits(bits);
    if (n < 0) {
      throw new IllegalArgumentException("truncation of " + n + " elements");
    }
    if (n == 0) {
      return List.of();
    }
    return switch (mode) {
      case DEALER -> List.of(new CorrelationRequest.Truncation(n, bits));
      case EXACT -> List.of(new CorrelationRequest.ExactTruncation(n, bits));
      case LOCAL -> List.of();
    };
  }

  /** Dealer-assisted truncation; see the class comment. One round, one message each way. */
  public static long[] dealer(Party p, long[] x, int bits) {
    checkBits(bits);
    if (x.length == 0) {
      return new long[0];
    }
    TruncationTuples t = p.correlations().truncation(x.length, bits);
    return finish(p, Prepared.of(t.r(), t.rShifted(), t.msb(), null, bits), x);
  }

  /**
   * Exact truncation {@code ⌊x / 2^bits⌋}; see the class comment. One round, one message each way
   * (the same opening as {@link #dealer}), then the DCF evaluation of the borrow, batched over all
   * {@code n} elements.
   */
  public static long[] exact(Party p, long[] x, int bits) {
    checkBits(bits);
    if (x.length == 0) {
      return new long[0];
    }
    ExactTruncationTuples t = p.correlations().exactTruncation(x.length, bits);
    return finish(p, Prepared.of(t.r(), t.rShifted(), t.msb(), t, bits), x);
  }

  /**
   * One truncation of {@code n} elements prepared ahead of its opening: the dealer tuples drawn (in
   * the party's mode; none for {@code LOCAL}) and, after {@link #openEarly}, party 1's half of the
   * opening. {@link #finish} completes it online. Single use.
   */
  public static final class Prepared {
    private final int n;
    private final int bits;
    private final long[] r;
    private final long[] rShifted;
    private final long[] msb;
    private final ExactTruncationTuples exact;

    /** Party 1's masked half {@code x_1 + r_1}, sent (party 1) or received (party 0) offline. */
    private long[] early;

    private boolean used;

    private Prepared(
        int n, int bits, long[] r, long[] rShifted, long[] msb, ExactTruncationTuples exact) {
      this.n = n;
      this.bits = bits;
      this.r = r;
      this.rShifted = rShifted;
      this.msb = msb;
      this.exact = exact;
    }

    private static Prepared of(
        long[] r, long[] rShifted, long[] msb, ExactTruncationTuples exact, int bits) {
      return new Prepared(r.length, bits, r, rShifted, msb, exact);
    }

    /** Elements to truncate. */
    public int size() {
      return n;
    }

    /** Whether party 1's half of the opening went ahead in the offline phase. */
    public boolean openedEarly() {
      return early != null;
    }

    private boolean opens() {
      return r != null;
    }
  }

  /**
   * Offline half of a truncation of {@code n} elements by {@code bits} in the party's mode: draws
   * its dealer tuples now (the requests of {@link #requests}, in order). No communication.
   */
  public static Prepared prepare(Party p, int n, int bits) {
    checkBits(bits);
    if (n < 0) {
      throw new IllegalArgumentException("truncation of " + n + " elements");
    }
    if (n == 0 || p.truncationMode() == TruncationMode.LOCAL) {
      return new Prepared(n, bits, null, null, null, null);
    }
    if (p.truncationMode() == TruncationMode.DEALER) {
      TruncationTuples t = p.correlations().truncation(n, bits);
      return Prepared.of(t.r(), t.rShifted(), t.msb(), null, bits);
    }
    ExactTruncationTuples t = p.correlations().exactTruncation(n, bits);
    return Prepared.of(t.r(), t.rShifted(), t.msb(), t, bits);
  }

  /**
   * Offline, when party 1's share {@code x_1} of the value to truncate is already fixed (a function
   * of dealer material and opened masks only, e.g. its share of an owner-held product): party 1
   * passes it and sends its half {@code x_1 + r_1} of the opening now; party 0 passes null and
   * receives it. Online, {@link #finish} then costs one message, party 0 to party 1. Party 0's view
   * is unchanged (the same word, only earlier: uniform, since {@code r_1} is party 1's share of the
   * dealer's uniform r and unknown to party 0); party 1's view is unchanged. No-op when the
   * truncation opens nothing ({@code LOCAL}, n = 0).
   */
  public static void openEarly(Party p, Prepared t, long[] share) {
    if (!t.opens()) {
      return;
    }
    t.early = earlyHalf(p, t.early, t.r, share);
  }

  /**
   * The early-half exchange shared with {@link FusedPower}: party 1 sends {@code share + r} (its
   * half; party 1 adds no offset) under {@link Tags#EARLY_HALF}, party 0 receives it.
   */
  static long[] earlyHalf(Party p, long[] already, long[] r, long[] share) {
    if (already != null) {
      throw new IllegalStateException("the early half of this opening was already sent");
    }
    if (p.isFirst()) {
      if (share != null) {
        throw new IllegalArgumentException(
            "party 0's share is not known offline: it passes null to openEarly");
      }
      return Sharing.receive(p, Tags.EARLY_HALF, r.length);
    }
    Beaver.checkLen(share, r.length, "party 1's early share");
    long[] masked = new long[r.length];
    for (int i = 0; i < masked.length; i++) {
      masked[i] = share[i] + r[i];
    }
    p.link().send(Tags.EARLY_HALF, masked);
    return masked;
  }

  /**
   * Online half: this party's share of {@code x} truncated (see the class comment). One message
   * each way, or, after {@link #openEarly}, one message from party 0 to party 1 (party 1's {@code
   * x} must then be the share it passed there).
   */
  public static long[] finish(Party p, Prepared t, long[] x) {
    return finish(p, t, x, RangeListener.NONE);
  }

  /**
   * {@link #finish(Party, Prepared, long[])}, telling {@code ready} each range of the result as it
   * is final. Each half of the opening travels as a chunked message and its receiver finishes each
   * piece as it arrives (DEALER; EXACT's DCF runs over the whole batch); a party that receives
   * nothing (party 0 after {@link #openEarly}, LOCAL) tells its result once, whole.
   */
  public static long[] finish(Party p, Prepared t, long[] x, RangeListener ready) {
    Beaver.checkLen(x, t.n, "truncation input");
    if (t.used) {
      throw new IllegalStateException("a prepared truncation is single-use; prepare another one");
    }
    t.used = true;
    long[] out;
    if (t.n == 0) {
      out = new long[0];
    } else if (!t.opens()) {
      out = local(p, x, t.bits);
    } else if (t.early != null && !p.isFirst()) {
      return receiveOpening(p, t, t.early, ready);
    } else {
      long[] mine = sendMasked(p, x, t.r);
      if (t.early == null) {
        return receiveOpening(p, t, mine, ready);
      }
      out = new long[t.n]; // c: party 0's half and party 1's early one
      shiftWithWrap(true, mine, t.early, 0, t, out, 0, t.n);
      subtractBorrow(t, mine, t.early, out);
    }
    ready.ready(out, 0, out.length);
    return out;
  }

  /**
   * EXACT: subtracts the borrow's shares, from the DCF at the low bits of the opened {@code c =
   * mine + other}.
   */
  private static void subtractBorrow(Prepared t, long[] mine, long[] other, long[] out) {
    if (t.exact == null) {
      return;
    }
    long[] low = new long[t.n];
    long lowMask = (1L << t.bits) - 1;
    for (int i = 0; i < t.n; i++) {
      low[i] = (mine[i] + other[i]) & lowMask;
    }
    long[] borrow = Dcf.evaluate(t.exact.borrow(), low);
    for (int i = 0; i < t.n; i++) {
      out[i] -= borrow[i];
    }
  }

  /**
   * Sends this party's half of the opening, {@code x + 2^62 + r} (party 0 adds the constant), as a
   * chunked message, so the peer finishes it piece by piece; returns it.
   */
  private static long[] sendMasked(Party p, long[] x, long[] r) {
    int n = x.length;
    long offset = p.isFirst() ? 1L << 62 : 0L;
    long[] masked = new long[n];
    for (int i = 0; i < n; i++) {
      masked[i] = x[i] + offset + r[i];
    }
    p.link().sendChunked(Tags.TRUNCATE, masked);
    return masked;
  }

  /**
   * Finishes the opening {@code c = mine + peer's half} ({@code mine}: this party's half, or party
   * 1's early one; read, never written) piece by piece as the peer's half arrives, telling each
   * piece to {@code ready} at once (DEALER: c is never completed in a pass of its own; EXACT keeps
   * the peer's half and finishes after the DCF over the whole batch).
   */
  private static long[] receiveOpening(Party p, Prepared t, long[] mine, RangeListener ready) {
    int n = t.n;
    boolean first = p.isFirst();
    long[] out = new long[n];
    long[] peer = t.exact != null ? new long[n] : null;
    p.link()
        .receiveLongs(
            Tags.TRUNCATE,
            n,
            (piece, at) -> {
              if (peer != null) {
                System.arraycopy(piece, 0, peer, at, piece.length);
              } else {
                shiftWithWrap(first, mine, piece, -at, t, out, at, at + piece.length);
                ready.ready(out, at, at + piece.length);
              }
            });
    if (peer != null) {
      shiftWithWrap(first, mine, peer, 0, t, out, 0, n);
      subtractBorrow(t, mine, peer, out);
      ready.ready(out, 0, n);
    }
    return out;
  }

  /**
   * {@code out[i0, i1)}: this party's share of {@code (c >>> f) − (r >>> f) + wrap·2^(64−f) −
   * 2^(62−f)} from the opened {@code c[i] = mine[i] + other[i + shift]} (summed as it is read) and
   * its shares of {@code r >>> f} and {@code msb(r)}: {@code ⌊x / 2^f⌋} up to the borrow β, which
   * the exact mode then subtracts.
   */
  private static void shiftWithWrap(
      boolean first, long[] mine, long[] other, int shift, Prepared t, long[] out, int i0, int i1) {
    long[] rs = t.rShifted;
    long[] msb = t.msb;
    int bits = t.bits;
    int up = 64 - bits;
    long unshift = 1L << (62 - bits);
    for (int i = i0; i < i1; i++) {
      long ci = mine[i] + other[i + shift];
      // (1 − msb(c)) as a 0/-1 mask selects the wrap term without a branch.
      long noTopBit = (ci >> 63) ^ -1L;
      long z = (msb[i] << up & noTopBit) - rs[i];
      if (first) {
        z += (ci >>> bits) - unshift;
      }
      out[i] = z;
    }
  }

  /** SecureML local truncation; see the class comment. No communication. */
  public static long[] local(Party p, long[] x, int bits) {
    checkBits(bits);
    long[] out = new long[x.length];
    if (p.isFirst()) {
      for (int i = 0; i < out.length; i++) {
        out[i] = x[i] >> bits;
      }
    } else {
      for (int i = 0; i < out.length; i++) {
        out[i] = -((-x[i]) >> bits);
      }
    }
    return out;
  }

  private static void checkBits(int bits) {
    if (bits < 1 || bits > 62) {
      throw new IllegalArgumentException("truncation shift must be in [1, 62], got " + bits);
    }
  }
}
