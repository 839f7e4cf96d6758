package org.polyshare.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.ring.FixedPoint;

/**
 * The 2f carry: a PolyKerv's fused power left at {@code dp·f} bits, multiplied by a public weight
 * at f bits plus a bias at {@code (dp+1)·f}, and truncated once by {@code dp·f} — as a carried
 * PolyKerv and its reader compute it — against BigInteger. EXACT: bit for bit {@code ⌊(W·⌊z/2^f⌋^dp
 * + B) / 2^(dp·f)⌋}; both modes: the bound {@code |y·2^−f − (w·x^dp + b)| ≤ 2^−f + |w|·((|x| +
 * 2^−f)^dp − |x|^dp)} (in integers at scale {@code 2^(2f·dp + f)}, see {@link #checkBound}), for dp
 * = 1..8 on 10^6 values each (DEALER; 2^16 in EXACT) including the range edges.
 */
class FusedCarryTest {
  private static final int CHUNK = 1 << 15;

  /** f per degree: the reader's product at (dp+1)·f bits stays within 50. */
  private static int fracBits(int dp) {
    return Math.min(16, 50 / (dp + 1));
  }

  /**
   * Pre-activations z at 2f bits with |z·2^−2f|^dp·2^((dp+1)f) ≤ 2^60: edges first, log-uniform.
   */
  private static long[] values(int n, int f, int dp, long seed) {
    int magBits = 2 * f + (60 - (dp + 1) * f) / dp; // |z| < 2^magBits
    long lim = 1L << magBits;
    long step = 1L << f;
    long[] edges = {
      lim - 1, -lim + 1, -lim, 0, 1, -1, step, step - 1, step + 1, -step, -step - 1, -step + 1
    };
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] z = new long[n];
    System.arraycopy(edges, 0, z, 0, edges.length);
    for (int i = edges.length; i < n; i++) {
      long mag = rnd.nextLong(1L << rnd.nextInt(1, magBits + 1));
      z[i] = rnd.nextBoolean() ? mag : -mag;
    }
    for (int i = 0; i < 100; i++) {
      z[edges.length + i] = lim - 2 - i;
      z[edges.length + 100 + i] = -lim + 1 + i;
    }
    return z;
  }

  /** Secure: fused power, local product with the public W, party 0 adds B, one truncation. */
  private static long[] carried(
      TruncationMode mode, long[] z, long[] w, long[] b, int f, int dp, long seed) {
    // the session's f is unused: every shift here is explicit
    InProcessSession session = new InProcessSession(new FixedPoint(Math.max(8, f)), mode);
    return SharedRuns.reveal(
        SharedRuns.onShares(
            session,
            z,
            seed,
            (p, share) -> {
              int[] at = {0};
              return SharedRuns.inChunks(
                  share,
                  CHUNK,
                  part -> {
                    long[] pw = FusedPower.power(p, part, f, dp);
                    for (int i = 0; i < pw.length; i++) {
                      pw[i] = pw[i] * w[at[0] + i] + (p.isFirst() ? b[at[0] + i] : 0);
                    }
                    at[0] += pw.length;
                    return Truncation.truncate(p, pw, dp * f);
                  });
            }));
  }

  private static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  /** ⌊(W·⌊z/2^f⌋^dp + B) / 2^(dp·f)⌋ over the integers. */
  static long reference(long z, long w, long b, int f, int dp) {
    BigInteger t = big(z).shiftRight(f); // floor
    BigInteger y = big(w).multiply(t.pow(dp)).add(big(b));
    BigInteger out = y.shiftRight(dp * f);
    assertTrue(out.bitLength() < 62, "test value out of range");
    return out.longValueExact();
  }

  /**
   * The bound at scale S = 2^(2f·dp + f), where x = z·2^−2f, w = W·2^−f, b = B·2^−(dp+1)f, y·2^−f:
   * |y·2^(2f·dp) − W·z^dp − B·2^(f·dp)| ≤ 2^(2f·dp) + |W|·((|z| + 2^f)^dp − |z|^dp).
   */
  static void checkBound(long y, long z, long w, long b, int f, int dp, String what) {
    BigInteger got = big(y).shiftLeft(2 * f * dp);
    BigInteger ideal = big(w).multiply(big(z).pow(dp)).add(big(b).shiftLeft(f * dp));
    BigInteger az = big(z).abs();
    BigInteger bound =
        BigInteger.ONE
            .shiftLeft(2 * f * dp)
            .add(
                big(w)
                    .abs()
                    .multiply(az.add(BigInteger.ONE.shiftLeft(f)).pow(dp).subtract(az.pow(dp))));
    assertTrue(
        got.subtract(ideal).abs().compareTo(bound) <= 0,
        what + ": z=" + z + " w=" + w + " b=" + b + " y=" + y + " breaks the bound");
  }

  private static void run(TruncationMode mode, int n, long seed) {
    for (int dp = 1; dp <= CorrelationRequest.FusedPower.MAX_DEGREE; dp++) {
      int f = fracBits(dp);
      long[] z = values(n, f, dp, seed + dp);
      SplittableRandom rnd = new SplittableRandom(seed * 31 + dp);
      long[] w = new long[n];
      long[] b = new long[n];
      long one = 1L << f;
      long bias = 1L << ((dp + 1) * f);
      for (int i = 0; i < n; i++) {
        w[i] = i < 3 ? new long[] {one, -one, 0}[i] : rnd.nextLong(-one, one + 1);
        b[i] = rnd.nextLong(-bias, bias + 1);
      }
      long[] got = carried(mode, z, w, b, f, dp, seed + 100 + dp);
      long diffs = 0;
      for (int i = 0; i < n; i++) {
        String what = mode + " dp=" + dp + " f=" + f + " element " + i;
        if (mode == TruncationMode.EXACT) {
          assertEquals(reference(z[i], w[i], b[i], f, dp), got[i], what);
        } else if (got[i] != reference(z[i], w[i], b[i], f, dp)) {
          diffs++;
        }
        checkBound(got[i], z[i], w[i], b[i], f, dp, what);
      }
      if (mode == TruncationMode.DEALER) {
        assertTrue(diffs > n / 10, "dealer borrows show up (" + diffs + " of " + n + ")");
      }
    }
  }

  @Test
  void exactCarryIsTheBigIntegerFloorForEveryDegree() {
    run(TruncationMode.EXACT, 1 << 16, 7);
  }

  @Test
  void dealerCarryMeetsTheBoundOnAMillionValuesForEveryDegree() {
    run(TruncationMode.DEALER, 1_000_000, 11);
  }
}
