package org.polyshare.core.protocol;

import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.TruncationTuples;
import org.polyshare.core.ring.RingTensor;

/**
 * Scaling shared values down by {@code 2^f} (after a fixed-point product).
 *
 * <p><b>Dealer-assisted</b> (default, one round). Let {@code x ∈ [−2^62, 2^62)} be the secret,
 * {@code y = x + 2^62 ∈ [0, 2^63)} (party 0 adds the constant) and {@code r} uniform from the
 * dealer with shares of {@code r >>> f} and of the bit {@code msb(r)}. The parties open
 * {@code c = y + r mod 2^64}, uniform whatever {@code y} is. Over the integers either
 * {@code y + r = c} (no wrap) or {@code y + r = c + 2^64} (wrap). Since {@code y < 2^63}:
 * if {@code msb(r) = 0} there is no wrap; if {@code msb(r) = 1}, a wrap gives
 * {@code c = y + r − 2^64 < y < 2^63} (so {@code msb(c) = 0}) and no wrap gives
 * {@code c ≥ r ≥ 2^63} ({@code msb(c) = 1}). Hence {@code wrap = msb(r)·(1 − msb(c))}, which is
 * linear in the shared bit {@code msb(r)} because {@code c} is public. Splitting off the low
 * {@code f} bits, {@code ⌊(y + r)/2^f⌋ = ⌊y/2^f⌋ + ⌊r/2^f⌋ + β} with the borrow
 * {@code β = [(y mod 2^f) + (r mod 2^f) ≥ 2^f] ∈ {0, 1}}, so
 * <pre>  y >>> f = (c >>> f) − (r >>> f) + wrap·2^(64−f) − β.</pre>
 * The protocol omits {@code β}; subtracting {@code 2^(62−f)} undoes the shift. The result is
 * {@code ⌊x / 2^f⌋ + β}: never below the floor, at most one ulp above it — so within one ulp of
 * both floor and round-to-nearest, for every {@code x} in range, with no catastrophic failure.
 * All terms are computed mod 2^64, where the shares of {@code wrap·2^(64−f)} are
 * {@code (1 − msb(c))·2^(64−f)·msb(r)_i}.
 *
 * <p><b>Local</b> (SecureML, zero rounds): party 0 computes {@code x0 >> f}, party 1
 * {@code −((−x1) >> f)}. With uniformly random shares, the signed sum {@code x0 + x1} overflows —
 * and the result is off by {@code ±2^(64−f)} — with probability exactly {@code |x| / 2^64};
 * otherwise the error is at most one ulp.
 */
public final class Truncation {
  private Truncation() {}

  /**
   * The correlations one truncation of {@code n} values by {@code bits} draws in {@code mode}, in
   * the order it draws them: a dealer tuple batch for {@link TruncationMode#DEALER}, nothing for
   * {@link TruncationMode#LOCAL}. Plans list these, so they must match {@link #truncate}.
   */
  public static List<CorrelationRequest> requests(TruncationMode mode, int n, int bits) {
    checkBits(bits);
    return switch (mode) {
      case DEALER -> List.of(new CorrelationRequest.Truncation(n, bits));
      case LOCAL -> List.of();
    };
  }

  /** Truncates by the party's fractional bits in the party's mode. */
  public static long[] truncate(Party p, long[] x) {
    return truncate(p, x, p.fixedPoint().fracBits());
  }

  /** Truncates by {@code bits} ∈ [1, 62] in the party's mode. */
  public static long[] truncate(Party p, long[] x, int bits) {
    return switch (p.truncationMode()) {
      case DEALER -> dealer(p, x, bits);
      case LOCAL -> local(p, x, bits);
    };
  }

  /** Tensor form of {@link #truncate(Party, long[])}. */
  public static RingTensor truncate(Party p, RingTensor x) {
    return RingTensor.of(truncate(p, x.data()), x.shape());
  }

  /** Dealer-assisted truncation; see the class comment. One round, one message each way. */
  public static long[] dealer(Party p, long[] x, int bits) {
    checkBits(bits);
    int n = x.length;
    if (n == 0) {
      return new long[0];
    }
    TruncationTuples t = p.correlations().truncation(n, bits);
    long[] r = t.r();
    long offset = p.isFirst() ? 1L << 62 : 0L;
    long[] masked = new long[n];
    for (int i = 0; i < n; i++) {
      masked[i] = x[i] + offset + r[i];
    }
    long[] other = Sharing.exchange(p, Tags.TRUNCATE, masked);
    long[] rs = t.rShifted();
    long[] msb = t.msb();
    long[] out = new long[n];
    int up = 64 - bits;
    long unshift = 1L << (62 - bits);
    boolean first = p.isFirst();
    for (int i = 0; i < n; i++) {
      long c = masked[i] + other[i];
      // (1 − msb(c)) as a 0/-1 mask selects the wrap term without a branch.
      long noTopBit = (c >> 63) ^ -1L;
      long z = (msb[i] << up & noTopBit) - rs[i];
      if (first) {
        z += (c >>> bits) - unshift;
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
