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
 */
public final class Truncation {
  private Truncation() {}

  /** Truncates by the party's fractional bits in the party's mode. */
  public static long[] truncate(Party p, long[] x) {
    return truncate(p, x, p.fixedPoint().fracBits());
  }

  /** Truncates by {@code bits} ∈ [1, 62] in the party's mode. */
  public static long[] truncate(Party p, long[] x, int bits) {
    return switch (p.truncationMode()) {
      case DEALER -> dealer(p, x, bits);
      case EXACT -> exact(p, x, bits);
      case LOCAL -> local(p, x, bits);
    };
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
    int n = x.length;
    if (n == 0) {
      return new long[0];
    }
    TruncationTuples t = p.correlations().truncation(n, bits);
    return shiftWithWrap(p.isFirst(), open(p, x, t.r()), t.rShifted(), t.msb(), bits);
  }

  /**
   * Exact truncation {@code ⌊x / 2^bits⌋}; see the class comment. One round, one message each way
   * (the same opening as {@link #dealer}), then the DCF evaluation of the borrow, batched over all
   * {@code n} elements.
   */
  public static long[] exact(Party p, long[] x, int bits) {
    checkBits(bits);
    int n = x.length;
    if (n == 0) {
      return new long[0];
    }
    ExactTruncationTuples t = p.correlations().exactTruncation(n, bits);
    long[] c = open(p, x, t.r());
    long[] low = new long[n];
    long lowMask = (1L << bits) - 1;
    for (int i = 0; i < n; i++) {
      low[i] = c[i] & lowMask;
    }
    long[] borrow = Dcf.evaluate(t.borrow(), low);
    long[] out = shiftWithWrap(p.isFirst(), c, t.rShifted(), t.msb(), bits);
    for (int i = 0; i < n; i++) {
      out[i] -= borrow[i];
    }
    return out;
  }

  /** Opens {@code c = x + 2^62 + r} (party 0 adds the constant): the one round of both modes. */
  private static long[] open(Party p, long[] x, long[] r) {
    int n = x.length;
    long offset = p.isFirst() ? 1L << 62 : 0L;
    long[] masked = new long[n];
    for (int i = 0; i < n; i++) {
      masked[i] = x[i] + offset + r[i];
    }
    long[] other = Sharing.exchange(p, Tags.TRUNCATE, masked);
    long[] c = new long[n]; // not in place: the link may still hold the sent array
    for (int i = 0; i < n; i++) {
      c[i] = masked[i] + other[i];
    }
    return c;
  }

  /**
   * This party's share of {@code (c >>> f) − (r >>> f) + wrap·2^(64−f) − 2^(62−f)} from the opened
   * {@code c} and its shares of {@code r >>> f} and {@code msb(r)}: {@code ⌊x / 2^f⌋} up to the
   * borrow β, which the exact mode then subtracts.
   */
  private static long[] shiftWithWrap(boolean first, long[] c, long[] rs, long[] msb, int bits) {
    long[] out = new long[c.length];
    int up = 64 - bits;
    long unshift = 1L << (62 - bits);
    for (int i = 0; i < c.length; i++) {
      long ci = c[i];
      // (1 − msb(c)) as a 0/-1 mask selects the wrap term without a branch.
      long noTopBit = (ci >> 63) ^ -1L;
      long z = (msb[i] << up & noTopBit) - rs[i];
      if (first) {
        z += (ci >>> bits) - unshift;
      }
      out[i] = z;
    }
    return out;
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
