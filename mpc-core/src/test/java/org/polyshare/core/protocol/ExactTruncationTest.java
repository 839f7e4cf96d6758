package org.polyshare.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.fss.DcfKeys;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.ring.FixedPoint;

class ExactTruncationTest {
  private static final int F = 16;
  private static final int CHUNK = 1 << 16;

  /** Uniform shares of {@code x}, truncated by {@code bits} in chunks within ONE session. */
  private static long[] truncateShared(InProcessSession session, long[] x, int bits, long seed) {
    TwoParties.Result<long[]> r =
        SharedRuns.onShares(
            session,
            x,
            seed,
            (p, mine) ->
                SharedRuns.inChunks(mine, CHUNK, part -> Truncation.truncate(p, part, bits)));
    assertEquals((x.length + CHUNK - 1) / CHUNK, r.stats0().rounds(), "one round per truncation");
    return SharedRuns.reveal(r);
  }

  private static InProcessSession exactSession() {
    return new InProcessSession(new FixedPoint(F), TruncationMode.EXACT);
  }

  /** Random values over the whole range (uniform and log-scale) with the edges in front. */
  private static long[] values(int n, int bits, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] x = new long[n];
    long lim = 1L << 62;
    int k = 0;
    for (long e : RingEdges.around(bits, lim, (lim - 1) & -(1L << bits))) {
      x[k++] = e;
    }
    // Runs near the two ends of the range and around zero, so every low-bit pattern is met there.
    for (int i = 0, runs = Math.min(3000, n / 8); i < runs; i++) {
      x[k++] = lim - 1 - i;
      x[k++] = -lim + i;
      x[k++] = i - 1500;
    }
    while (k < n) {
      if (rnd.nextBoolean()) {
        x[k++] = rnd.nextLong(-lim, lim);
      } else {
        long mag = rnd.nextLong(1L << rnd.nextInt(1, 62));
        x[k++] = rnd.nextBoolean() ? mag : -mag;
      }
    }
    return x;
  }

  private static void assertFloor(long[] x, long[] t, int bits) {
    for (int i = 0; i < x.length; i++) {
      if (t[i] != x[i] >> bits) {
        throw new AssertionError(
            "shift "
                + bits
                + ": floor("
                + x[i]
                + " / 2^"
                + bits
                + ") = "
                + (x[i] >> bits)
                + " but the secure truncation gave "
                + t[i]
                + " (element "
                + i
                + ")");
      }
    }
  }

  @Test
  void exactOnAMillionValuesAcrossTheRangeAtSixteenBits() {
    long[] x = values(1_000_000, F, 31);
    assertFloor(x, truncateShared(exactSession(), x, F, 32), F);
  }

  @Test
  void exactForOtherShifts() {
    for (int bits : new int[] {1, 2, 8, 12, 24, 32, 45, 61, 62}) {
      long[] x = values(40_000, bits, 100 + bits);
      assertFloor(x, truncateShared(exactSession(), x, bits, 200 + bits), bits);
    }
  }

  /**
   * The point of exactness: the same secret truncated many times in one session (fresh masks each
   * time) gives the same result, while the dealer mode — same inputs — does not.
   */
  @Test
  void repeatedTruncationsOfTheSameInputAreBitIdentical() {
    long[] x = values(4096, F, 41);
    int repeats = 12;
    for (TruncationMode mode : new TruncationMode[] {TruncationMode.EXACT, TruncationMode.DEALER}) {
      InProcessSession session = new InProcessSession(new FixedPoint(F), mode);
      TwoParties.Result<long[][]> r =
          session.run(
              p -> {
                long[] mine = p.id() == 0 ? x : new long[x.length];
                long[][] out = new long[repeats][];
                for (int k = 0; k < repeats; k++) {
                  out[k] = Truncation.truncate(p, mine, F);
                }
                return out;
              });
      boolean allSame = true;
      long[] first = null;
      for (int k = 0; k < repeats; k++) {
        long[] sum = new long[x.length];
        for (int i = 0; i < x.length; i++) {
          sum[i] = r.party0()[k][i] + r.party1()[k][i];
        }
        if (first == null) {
          first = sum;
        } else {
          allSame &= java.util.Arrays.equals(first, sum);
          // Fresh masks each time: party 1's shares themselves are new.
          assertFalse(java.util.Arrays.equals(r.party1()[0], r.party1()[k]), "masks reused");
        }
        if (mode == TruncationMode.EXACT) {
          assertFloor(x, sum, F);
        }
      }
      if (mode == TruncationMode.EXACT) {
        assertTrue(allSame);
      } else {
        // 12 repetitions of 4096 values each with a fair borrow coin: equal only with prob
        // 2^-45000.
        assertFalse(allSame, "the dealer mode's dropped borrow should vary between repetitions");
      }
    }
  }

  /** Every dealer byte is counted: the tuple correction to one party, the DCF words to both. */
  @Test
  void dealerBytesAreTheKeysPlusTheTupleCorrection() {
    int n = 1000;
    InProcessSession session = exactSession();
    long[] x = values(n, F, 51);
    truncateShared(session, x, F, 52);
    InProcessDealer.Traffic t0 = session.dealer().trafficTo(0);
    InProcessDealer.Traffic t1 = session.dealer().trafficTo(1);
    long words = 8L * DcfKeys.correctionLength(F, n);
    assertEquals(1, t0.messagesWithCorrection());
    assertEquals(1, t1.messagesWithCorrection());
    assertEquals(2 * (16 + words) + 16L * n, t0.bytes() + t1.bytes());
    assertEquals(16 + words + 16L * n, Math.max(t0.bytes(), t1.bytes()), "corrected party");
    assertEquals(
        8 * (3 * F + 1) + F / 4.0, words / (double) n, 0.01, "key bytes per element and party");
    System.out.printf(
        "exact truncation f=%d: %.1f B/element/party of DCF keys, %.1f B/element in all%n",
        F, words / (double) n, (t0.bytes() + t1.bytes()) / (double) n);
  }

  @Test
  void requestsPerMode() {
    assertEquals(
        List.of(new CorrelationRequest.Truncation(7, 16)),
        Truncation.requests(TruncationMode.DEALER, 7, 16));
    assertEquals(
        List.of(new CorrelationRequest.ExactTruncation(7, 16)),
        Truncation.requests(TruncationMode.EXACT, 7, 16));
    assertEquals(List.of(), Truncation.requests(TruncationMode.LOCAL, 7, 16));
    assertEquals(List.of(), Truncation.requests(TruncationMode.EXACT, 0, 16));
    // The plan recorded from a run is exactly what requests() predicts.
    InProcessSession session = exactSession();
    assertEquals(
        Truncation.requests(TruncationMode.EXACT, 5, 12),
        session.recordPlan(p -> Truncation.truncate(p, new long[5], 12)).requests());
  }

  @Test
  void requestEncodingRoundTrips() {
    CorrelationRequest r = new CorrelationRequest.ExactTruncation(123, 16);
    assertArrayEquals(new long[] {10, 123, 16}, r.encode());
    assertEquals(
        r,
        org.polyshare.core.correlation.CorrelationPlan.decode(
                org.polyshare.core.correlation.CorrelationPlan.of(r).encode())
            .requests()
            .get(0));
  }
}
