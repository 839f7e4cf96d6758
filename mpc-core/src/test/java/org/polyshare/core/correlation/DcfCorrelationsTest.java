package org.polyshare.core.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.polyshare.core.fss.Dcf;
import org.polyshare.core.fss.DcfKeys;
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

  @Test
  void fssReluMaterial() {
    Dealer dealer = new Dealer();
    int n = 300;
    int k = 20;
    for (int batch = 0; batch < 2; batch++) {
      Correlation[] c = deal(new CorrelationRequest.FssRelu(n, k), dealer);
      FssReluKeys a = (FssReluKeys) c[0];
      FssReluKeys b = (FssReluKeys) c[1];
      long[] x = probes(n, 3511, k);
      long[] y0 = Dcf.evaluate(a.keys(), x);
      long[] y1 = Dcf.evaluate(b.keys(), x);
      for (int i = 0; i < n; i++) {
        long r = a.r()[i] + b.r()[i];
        long u = r >>> k;
        long m = r >>> 63;
        assertEquals(u, a.rShifted()[i] + b.rShifted()[i]);
        assertEquals(m, a.msb()[i] + b.msb()[i]);
        assertEquals(r * u, a.rTimesShifted()[i] + b.rTimesShifted()[i]);
        assertEquals(r * m, a.rTimesMsb()[i] + b.rTimesMsb()[i]);
        long beta = x[i] < (r & ((1L << k) - 1)) ? 1L : 0L;
        assertEquals(beta, y0[2 * i] + y1[2 * i]);
        assertEquals(beta * r, y0[2 * i + 1] + y1[2 * i + 1]);
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
