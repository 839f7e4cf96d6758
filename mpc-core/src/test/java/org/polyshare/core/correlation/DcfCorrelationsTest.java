package org.polyshare.core.correlation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.polyshare.core.fss.BitDcf;
import org.polyshare.core.fss.Dcf;
import org.polyshare.core.fss.DcfKeys;
import org.polyshare.core.kernel.RingThreads;
import org.polyshare.core.prg.Seed;

/**
 * The dealer's DCF-carrying kinds: shares reconstruct to the stated values, keys to the stated
 * comparisons.
 */
class DcfCorrelationsTest {

  private static Correlation[] deal(CorrelationRequest r, Dealer dealer) {
    Dealer.Dealt d = dealer.deal(r);
    return new Correlation[] {
      CorrelationExpander.expand(0, r, d.toParty0()), CorrelationExpander.expand(1, r, d.toParty1())
    };
  }

  /** {@code n} DCF inputs of {@code bits} bits, {@code i·step mod 2^bits}. */
  private static long[] probes(int n, long step, int bits) {
    long[] x = new long[n];
    for (int i = 0; i < n; i++) {
      x[i] = (i * step) & ((1L << bits) - 1);
    }
    return x;
  }

  @Test
  void exactTruncationTuplesAndTheirBorrowKeys() {
    Dealer dealer = new Dealer();
    int n = 300;
    int f = 12;
    for (int batch = 0; batch < 2; batch++) { // both parties take a turn as the corrected one
      Correlation[] c = deal(new CorrelationRequest.ExactTruncation(n, f), dealer);
      ExactTruncationTuples a = (ExactTruncationTuples) c[0];
      ExactTruncationTuples b = (ExactTruncationTuples) c[1];
      long[] x = probes(n, 37, f);
      long[] y0 = Dcf.evaluate(a.borrow(), x);
      long[] y1 = Dcf.evaluate(b.borrow(), x);
      for (int i = 0; i < n; i++) {
        long r = a.r()[i] + b.r()[i];
        assertEquals(r >>> f, a.rShifted()[i] + b.rShifted()[i]);
        assertEquals(r >>> 63, a.msb()[i] + b.msb()[i]);
        assertEquals(x[i] < (r & ((1L << f) - 1)) ? 1L : 0L, y0[i] + y1[i], "borrow key " + i);
      }
    }
  }

  /**
   * The dealt FSS ReLU material reconstructs to the documented values and the keys compare with the
   * documented thresholds and flips: {@code ρ} is recovered from the shares (a bit) and the sign
   * key must give {@code [x < r mod 2^k] ⊕ ρ ⊕ r_k}.
   */
  @Test
  void fssReluMaterial() {
    Dealer dealer = new Dealer();
    int n = 300;
    int k = 20;
    for (int shift : new int[] {0, 8, 8}) {
      Correlation[] c = deal(new CorrelationRequest.FssRelu(n, k, shift), dealer);
      FssReluKeys a = (FssReluKeys) c[0];
      FssReluKeys b = (FssReluKeys) c[1];
      long[] x = new long[n];
      long[] xf = new long[n];
      for (int i = 0; i < n; i++) {
        x[i] = (i * 3511L) & ((1L << k) - 1);
        xf[i] = x[i] & ((1L << shift) - 1);
      }
      long[] s0 = BitDcf.evaluate(a.sign(), x, RingThreads.shared());
      long[] s1 = BitDcf.evaluate(b.sign(), x, RingThreads.shared());
      long[] b0 = shift == 0 ? null : BitDcf.evaluate(a.borrow(), xf, RingThreads.shared());
      long[] b1 = shift == 0 ? null : BitDcf.evaluate(b.borrow(), xf, RingThreads.shared());
      long[] d = new long[a.dependent().length];
      for (int j = 0; j < d.length; j++) {
        d[j] = a.dependent()[j] + b.dependent()[j];
      }
      for (int i = 0; i < n; i++) {
        long r = a.r()[i] + b.r()[i];
        long rho = d[i];
        assertTrue(rho == 0 || rho == 1, "ρ is a bit");
        long signBit = ((s0[i >>> 6] ^ s1[i >>> 6]) >>> (i & 63)) & 1;
        long beta = x[i] < (r & ((1L << k) - 1)) ? 1L : 0L;
        assertEquals(beta ^ rho ^ ((r >>> k) & 1), signBit, "sign key " + i);
        if (shift == 0) {
          assertEquals(rho * r, d[n + i]);
          continue;
        }
        long u = r >>> shift;
        long m = r >>> 63;
        long rho2 = d[5 * n + i];
        assertTrue(rho2 == 0 || rho2 == 1, "ρ' is a bit");
        assertArrayEquals(
            new long[] {u, rho * u, m, rho * m, rho * rho2},
            new long[] {d[n + i], d[2 * n + i], d[3 * n + i], d[4 * n + i], d[6 * n + i]});
        long borrowBit = ((b0[i >>> 6] ^ b1[i >>> 6]) >>> (i & 63)) & 1;
        long betaF = xf[i] < (r & ((1L << shift) - 1)) ? 1L : 0L;
        assertEquals(betaF ^ rho2, borrowBit, "borrow key " + i);
      }
    }
  }

  @Test
  void malformedKeyMessagesAreRefusedWithTheExpectedLengths() {
    CorrelationRequest r = new CorrelationRequest.ExactTruncation(10, 16);
    DealerMessage short1 = new DealerMessage(Seed.random(), new long[5]);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CorrelationExpander.expand(0, r, short1));
    assertEquals(
        "dealer message for "
            + r
            + " has 5 correction longs, expected "
            + DcfKeys.correctionLength(16, 10)
            + " (DCF keys) or "
            + (DcfKeys.correctionLength(16, 10) + 20)
            + " (tuple correction and DCF keys)",
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            CorrelationExpander.expand(
                1, new CorrelationRequest.FssRelu(10, 30), DealerMessage.seedOnly(Seed.random())));
  }
}
