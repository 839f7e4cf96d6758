package org.polyshare.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.ring.FixedPoint;

/**
 * The fused truncate-and-power against the plaintext ring formula: exact mode gives {@code
 * ⌊z/2^f⌋^d mod 2^64} bit for bit, dealer mode {@code (⌊z/2^f⌋ + β)^d} with β ∈ {0, 1}; one round,
 * 8 bytes per element each way.
 */
class FusedPowerTest {
  private static final int F = 16;
  private static final int CHUNK = 1 << 15;

  /** Shares z uniformly, runs the fused power in chunks within one session, reconstructs. */
  private static long[] fused(TruncationMode mode, long[] z, int f, int d, long seed) {
    TwoParties.Result<long[]> r =
        SharedRuns.onShares(
            new InProcessSession(new FixedPoint(F), mode),
            z,
            seed,
            (p, mine) -> SharedRuns.inChunks(mine, CHUNK, part -> FusedPower.power(p, part, f, d)));
    int chunks = (z.length + CHUNK - 1) / CHUNK;
    assertEquals(chunks, r.stats0().rounds(), "one round per fused power");
    assertEquals(chunks, r.stats1().rounds(), "one round per fused power");
    assertEquals(8L * z.length, r.stats0().bytesSent(), "party 0 sends 8 B per element");
    assertEquals(8L * z.length, r.stats1().bytesSent(), "party 1 sends 8 B per element");
    return SharedRuns.reveal(r);
  }

  /** Log-scale values over [−2^62, 2^62) with the range edges and the 2^f boundaries in front. */
  static long[] values(int n, int f, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] z = new long[n];
    long lim = 1L << 62;
    long step = 1L << f;
    long[] edges = RingEdges.around(f, lim, 2 * step - 1, -2 * step);
    System.arraycopy(edges, 0, z, 0, edges.length);
    for (int i = edges.length; i < n; i++) {
      long mag = rnd.nextLong(1L << rnd.nextInt(1, 63));
      z[i] = rnd.nextBoolean() ? mag : -mag;
    }
    for (int i = 0; i < Math.min(200, n / 8); i++) {
      z[edges.length + i] = lim - 1 - i;
      z[edges.length + 200 + i] = -lim + i;
    }
    return z;
  }

  static long pow(long b, int e) {
    long out = 1;
    for (int i = 0; i < e; i++) {
      out *= b;
    }
    return out;
  }

  /** Dealer mode: every reconstructed value is (T + β)^d, β ∈ {0, 1}; β about half the time. */
  private static void checkDealer(long[] z, int f, int d, long seed) {
    long[] got = fused(TruncationMode.DEALER, z, f, d, seed);
    long carried = 0;
    long ambiguous = 0;
    for (int i = 0; i < z.length; i++) {
      long t = z[i] >> f;
      long lo = pow(t, d);
      long hi = pow(t + 1, d);
      assertTrue(
          got[i] == lo || got[i] == hi,
          "f=" + f + " d=" + d + " element " + i + " (z=" + z[i] + ") is neither T^d nor (T+1)^d");
      if (lo == hi) {
        ambiguous++;
      } else if (got[i] == hi) {
        carried++;
      }
    }
    // β = [y_low + r_low ≥ 2^f] with uniform r_low: probability (1 − 2^−f)/2 for uniform y_low.
    double rate = carried / (double) (z.length - ambiguous);
    double expected = (1 - Math.pow(2, -f)) / 2;
    assertTrue(
        Math.abs(rate - expected) < 0.05,
        "borrow rate " + rate + " at f=" + f + " d=" + d + ", expected " + expected);
  }

  @Test
  void dealerModeIsTheRingFormulaWithinOneBorrowOverAMillionValuesForEveryDegree() {
    long[] z = values(1_000_000, F, 21);
    for (int d = 1; d <= CorrelationRequest.FusedPower.MAX_DEGREE; d++) {
      checkDealer(z, F, d, 100 + d);
    }
  }

  @Test
  void exactModeIsTheRingFormulaBitForBitOverAMillionValuesAtDegreeTwo() {
    long[] z = values(1_000_000, F, 22);
    long[] got = fused(TruncationMode.EXACT, z, F, 2, 23);
    for (int i = 0; i < z.length; i++) {
      long t = z[i] >> F;
      assertEquals(t * t, got[i], "element " + i + " (z=" + z[i] + ")");
    }
  }

  @Test
  void exactModeIsTheRingFormulaBitForBitForEveryDegreeAndOtherShifts() {
    for (int f : new int[] {1, 8, 16, 24}) {
      long[] z = values(20_000, f, 30 + f);
      for (int d = 1; d <= CorrelationRequest.FusedPower.MAX_DEGREE; d++) {
        long[] got = fused(TruncationMode.EXACT, z, f, d, 40 + d);
        for (int i = 0; i < z.length; i++) {
          assertEquals(
              pow(z[i] >> f, d),
              got[i],
              "f=" + f + " d=" + d + " element " + i + " (z=" + z[i] + ")");
        }
      }
    }
  }

  @Test
  void dealerModeHoldsForOtherShifts() {
    for (int f : new int[] {1, 8, 24, 40}) {
      long[] z = values(50_000, f, 50 + f);
      for (int d : new int[] {1, 2, 3, 8}) {
        checkDealer(z, f, d, 60 + d);
      }
    }
  }

  @Test
  void realValuesSquareWithinTheStatedBound() {
    // z at 2f bits for x = ±3.7 and friends; dealer error ≤ d·(|x| + 2^−f)^(d−1)·2^−f in real
    // terms.
    FixedPoint fp = new FixedPoint(F);
    double[] xs = {-3.7, -1, -0.001, 0, 0.5, 2.25, 7.9};
    long[] z = new long[xs.length];
    for (int i = 0; i < xs.length; i++) {
      z[i] = Math.round(xs[i] * Math.pow(2, 2 * F));
    }
    for (TruncationMode mode : new TruncationMode[] {TruncationMode.DEALER, TruncationMode.EXACT}) {
      long[] got = fused(mode, z, F, 2, 70);
      for (int i = 0; i < xs.length; i++) {
        double real = got[i] / Math.pow(2, 2 * F);
        double bound =
            mode == TruncationMode.EXACT
                ? 2 * Math.pow(2, -F) * Math.abs(xs[i]) + Math.pow(2, -2 * F)
                : 2 * (Math.abs(xs[i]) + 2 * Math.pow(2, -F)) * Math.pow(2, -F);
        assertTrue(Math.abs(real - xs[i] * xs[i]) <= bound, mode + " x=" + xs[i] + " got " + real);
      }
    }
    assertEquals(F, fp.fracBits());
  }

  @Test
  void dealerSendsTheDependentValuesToOnePartyAndTheBorrowKeysToBoth() {
    int n = 1000;
    for (int d = 1; d <= CorrelationRequest.FusedPower.MAX_DEGREE; d++) {
      org.polyshare.core.correlation.Dealer.Dealt plain =
          new org.polyshare.core.correlation.Dealer()
              .deal(new CorrelationRequest.FusedPower(n, F, d, false));
      // 2d dependent values per element to the corrected party (party 0 first), seed only to the
      // other.
      assertEquals(2L * d * n, plain.toParty0().correction().length, "d=" + d);
      assertTrue(!plain.toParty1().hasCorrection(), "d=" + d);
      org.polyshare.core.correlation.Dealer.Dealt exact =
          new org.polyshare.core.correlation.Dealer()
              .deal(new CorrelationRequest.FusedPower(n, F, d, true));
      int keyWords = org.polyshare.core.fss.DcfKeys.correctionLength(F, 2 * d - 1, n);
      assertEquals(2L * d * n + keyWords, exact.toParty0().correction().length, "d=" + d);
      assertEquals(keyWords, exact.toParty1().correction().length, "d=" + d);
    }
    // d = 2, f = 16: 32 B per element to one party; exact adds 8·(16·5 + 3) + 16/4 = 668 B to both.
    assertEquals(668L * n, 8L * org.polyshare.core.fss.DcfKeys.correctionLength(F, 3, n));
  }

  @Test
  void expandedSharesOverTheWireEncodingSumToTheDependentValues() {
    int n = 500;
    int d = 3;
    long bigK = 1L << (64 - F);
    for (boolean exact : new boolean[] {false, true}) {
      CorrelationRequest.FusedPower req = new CorrelationRequest.FusedPower(n, F, d, exact);
      org.polyshare.core.correlation.Dealer dealer = new org.polyshare.core.correlation.Dealer();
      for (int batch = 0; batch < 2; batch++) { // the corrected party alternates
        org.polyshare.core.correlation.Dealer.Dealt dealt = dealer.deal(req);
        org.polyshare.core.correlation.FusedPowerTuples[] t =
            new org.polyshare.core.correlation.FusedPowerTuples[2];
        for (int party = 0; party < 2; party++) {
          var wire = org.polyshare.core.correlation.DealerMessage.decode(dealt.to(party).encode());
          t[party] =
              (org.polyshare.core.correlation.FusedPowerTuples)
                  org.polyshare.core.correlation.CorrelationExpander.expand(party, req, wire);
        }
        long[] dep0 = t[0].dependent();
        long[] dep1 = t[1].dependent();
        for (int i = 0; i < n; i++) {
          long r = t[0].r()[i] + t[1].r()[i];
          long u = r >>> F;
          long m = r >>> 63;
          assertEquals(u, dep0[i] + dep1[i]);
          assertEquals(m, dep0[n + i] + dep1[n + i]);
          for (int j = 2; j <= d; j++) {
            int pb = org.polyshare.core.correlation.FusedPowerTuples.powerBlock(j) * n + i;
            int wb = org.polyshare.core.correlation.FusedPowerTuples.wrapBlock(d, j) * n + i;
            assertEquals(pow(u, j), dep0[pb] + dep1[pb], "u^" + j);
            assertEquals(m * (pow(u - bigK, j) - pow(u, j)), dep0[wb] + dep1[wb], "g_" + j);
          }
        }
        assertEquals(exact, t[0].borrow() != null);
      }
    }
  }

  @Test
  void requestsRoundTripAndLocalModeIsRefused() {
    CorrelationRequest.FusedPower req = new CorrelationRequest.FusedPower(5, 16, 3, true);
    assertEquals(List.of(12L, 5L, 16L, 3L, 1L), Arrays.stream(req.encode()).boxed().toList());
    assertEquals(req, CorrelationRequest.decode(req.encode()));
    assertThrows(
        IllegalArgumentException.class,
        () -> CorrelationRequest.decode(new long[] {12, 5, 16, 3, 2}));
    assertEquals(
        List.of(new CorrelationRequest.FusedPower(7, 16, 2, false)),
        FusedPower.requests(TruncationMode.DEALER, 7, 16, 2));
    assertThrows(
        IllegalArgumentException.class, () -> FusedPower.requests(TruncationMode.LOCAL, 7, 16, 2));
    assertThrows(
        IllegalArgumentException.class, () -> new CorrelationRequest.FusedPower(1, 16, 9, false));
    assertThrows(
        IllegalArgumentException.class, () -> new CorrelationRequest.FusedPower(1, 16, 0, false));
  }
}
