package org.polyshare.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.polyshare.core.link.LinkStats;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.ring.FixedPoint;

/**
 * The split opening ({@link Truncation#openEarly}, {@link FusedPower#openEarly}): party 1 sends its
 * half offline, the online opening is one message from party 0 — and the results are those of the
 * one-phase opening (exact: the floor, bit for bit).
 */
class EarlyHalfTest {
  private static final int F = 16;
  private static final int N = 20_000;

  /** Values across ±2^61 (and around zero), with uniform shares; party 1's is "known offline". */
  private static long[][] shares(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] x = new long[N];
    long[] x0 = new long[N];
    long[] x1 = new long[N];
    for (int i = 0; i < N; i++) {
      x[i] = i % 2 == 0 ? rnd.nextLong(-(1L << 61), 1L << 61) : rnd.nextLong(-(1L << 20), 1L << 20);
      x1[i] = rnd.nextLong();
      x0[i] = x[i] - x1[i];
    }
    return new long[][] {x, x0, x1};
  }

  /** Online traffic of one party: what it sent and received after its early half. */
  private record Out(long[] share, LinkStats.Snapshot online) {}

  private static TwoParties.Result<Out> truncateEarly(TruncationMode mode, long[][] s, int bits) {
    return new InProcessSession(new FixedPoint(F), mode)
        .run(
            p -> {
              Truncation.Prepared t = Truncation.prepare(p, N, bits);
              Truncation.openEarly(p, t, p.isFirst() ? null : s[2]);
              LinkStats.Snapshot before = p.link().stats().snapshot();
              long[] y = Truncation.finish(p, t, p.isFirst() ? s[1] : s[2]);
              return new Out(y, p.link().stats().snapshot().minus(before));
            });
  }

  private static long[] reveal(TwoParties.Result<Out> r) {
    long[] out = new long[N];
    for (int i = 0; i < N; i++) {
      out[i] = r.party0().share()[i] + r.party1().share()[i];
    }
    return out;
  }

  @Test
  void exactTruncationWithAnEarlyHalfIsTheFloorAndOneMessageOnline() {
    long[][] s = shares(1);
    for (int bits : new int[] {F, 2 * F, 3 * F}) {
      TwoParties.Result<Out> r = truncateEarly(TruncationMode.EXACT, s, bits);
      long[] y = reveal(r);
      for (int i = 0; i < N; i++) {
        assertEquals(s[0][i] >> bits, y[i], "x = " + s[0][i] + ", shift " + bits);
      }
      assertEquals(0, r.party1().online().bytesSent(), "party 1 sends nothing online");
      assertEquals(8L * N, r.party0().online().bytesSent(), "party 0 sends its half");
      assertEquals(8L * N, r.party1().online().bytesReceived());
    }
  }

  @Test
  void dealerTruncationWithAnEarlyHalfIsWithinOneUlp() {
    long[][] s = shares(2);
    long[] y = reveal(truncateEarly(TruncationMode.DEALER, s, F));
    for (int i = 0; i < N; i++) {
      long d = y[i] - (s[0][i] >> F);
      assertTrue(d == 0 || d == 1, "x = " + s[0][i] + ": off by " + d);
    }
  }

  @Test
  void fusedPowerWithAnEarlyHalfIsTheExactPower() {
    long[][] s = shares(3);
    for (int i = 0; i < N; i++) { // powers stay in range: |z| < 2^40 at 2f bits
      s[0][i] >>= 22;
      s[1][i] = s[0][i] - s[2][i];
    }
    for (int degree = 1; degree <= 3; degree++) {
      int d = degree;
      TwoParties.Result<Out> r =
          new InProcessSession(new FixedPoint(F), TruncationMode.EXACT)
              .run(
                  p -> {
                    FusedPower.Prepared t = FusedPower.prepare(p, N, F, d);
                    FusedPower.openEarly(p, t, p.isFirst() ? null : s[2]);
                    assertTrue(t.openedEarly());
                    LinkStats.Snapshot before = p.link().stats().snapshot();
                    long[] y = FusedPower.power(p, t, p.isFirst() ? s[1] : s[2]);
                    return new Out(y, p.link().stats().snapshot().minus(before));
                  });
      long[] y = reveal(r);
      long[] expected = new long[N];
      for (int i = 0; i < N; i++) {
        long t = s[0][i] >> F;
        long pw = 1;
        for (int j = 0; j < d; j++) {
          pw *= t;
        }
        expected[i] = pw;
      }
      assertArrayEquals(expected, y, "degree " + d);
      assertEquals(0, r.party1().online().bytesSent(), "party 1 sends nothing online");
      assertEquals(8L * N, r.party0().online().bytesSent());
    }
  }

  @Test
  void party0CannotClaimAnEarlyShare() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new InProcessSession(new FixedPoint(F), TruncationMode.EXACT)
                    .run(
                        p -> {
                          Truncation.Prepared t = Truncation.prepare(p, 4, F);
                          Truncation.openEarly(p, t, new long[4]);
                          return null;
                        }));
    assertTrue(e.getMessage().contains("party 0's share is not known offline"), e.getMessage());
  }
}
