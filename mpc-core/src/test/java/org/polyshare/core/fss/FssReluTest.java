package org.polyshare.core.fss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.FssReluKeys;
import org.polyshare.core.kernel.RingThreads;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;
import org.polyshare.core.protocol.InProcessSession;
import org.polyshare.core.protocol.SharedRuns;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.core.ring.FixedPoint;

class FssReluTest {
  private static final int CHUNK = 1 << 15;

  /** Secure ⌊ReLU(x)/2^shift⌋ of uniformly shared x, in chunks (layers) of one session. */
  private static long[] secureRelu(
      InProcessSession session, long[] x, int bits, int shift, long seed) {
    TwoParties.Result<long[]> r =
        SharedRuns.onShares(
            session,
            x,
            seed,
            (p, mine) ->
                SharedRuns.inChunks(mine, CHUNK, part -> FssRelu.relu(p, part, bits, shift)));
    int layers = (x.length + CHUNK - 1) / CHUNK;
    assertEquals(2 * layers, r.stats0().rounds(), "online rounds per layer");
    return SharedRuns.reveal(r);
  }

  private static InProcessSession session() {
    return new InProcessSession(new FixedPoint(16), TruncationMode.EXACT);
  }

  /**
   * Values in [−2^bits, 2^bits): all of them or the two ends and zero's neighbourhood, then uniform
   * and log-scale.
   */
  private static long[] values(int n, int bits, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long lim = 1L << bits;
    long[] x = new long[n];
    int k = 0;
    if (bits <= 10) {
      // Small ranges: every value, then random ones.
      for (long v = -lim; v < lim && k < n; v++) {
        x[k++] = v;
      }
    }
    for (int i = 0, runs = bits > 10 ? Math.min(1000, n / 8) : 0; i < runs; i++) {
      x[k++] = lim - 1 - i;
      x[k++] = -lim + i;
      x[k++] = i - runs / 2;
    }
    while (k < n) {
      if (rnd.nextBoolean()) {
        x[k++] = rnd.nextLong(-lim, lim);
      } else {
        long mag = rnd.nextLong(1L << rnd.nextInt(1, bits + 1));
        x[k++] = rnd.nextBoolean() ? mag : -mag;
      }
    }
    return x;
  }

  private static void assertReluFloor(long[] x, long[] y, int shift, String what) {
    for (int i = 0; i < x.length; i++) {
      long want = Math.max(x[i], 0) >> shift;
      if (y[i] != want) {
        throw new AssertionError(
            what + ": element " + i + ", x = " + x[i] + ": want " + want + ", got " + y[i]);
      }
    }
  }

  /** 10^6 values at 40-bit inputs (2f = 32 fractional bits, |v| < 256), shift 16: exact. */
  @Test
  void exactReluWithTruncationOnAMillionValues() {
    long[] x = values(1_000_000, 40, 61);
    assertReluFloor(x, secureRelu(session(), x, 40, 16, 62), 16, "k = 40, f = 16");
  }

  /**
   * At k = 62 the masked sum y + r wraps past 2^64 for about a quarter of the elements (y is
   * uniform below 2^63), so the wrap term is exercised on real dealer masks. Also other shifts.
   */
  @Test
  void exactAtFullRangeAndOtherWidths() {
    long[] x = values(100_000, 62, 71);
    assertReluFloor(x, secureRelu(session(), x, 62, 0, 72), 0, "k = 62, no shift");
    assertReluFloor(x, secureRelu(session(), x, 62, 16, 73), 16, "k = 62, f = 16");
    for (int bits : new int[] {1, 8, 20}) {
      long[] v = values(20_000, bits, 80 + bits);
      assertReluFloor(v, secureRelu(session(), v, bits, 0, 90 + bits), 0, "k = " + bits);
    }
  }

  /**
   * The algebra on masks chosen to hit every wrap case: r near 2^64 (y + r wraps for almost every
   * y), r near 2^63 (msb r = 1 with and without a wrap), r mod 2^k and r mod 2^f at 0, 1 and their
   * top (the thresholds at their ends), against x at the edges of the range, with and without the
   * folded shift, and both values of each secret mask bit. The material is dealt here by hand from
   * those r, independently of {@link FssReluDealing}.
   */
  @Test
  void wrapAroundMasksChosenByHand() {
    Prg rng = new Prg(Seed.random());
    SplittableRandom rnd = new SplittableRandom(5);
    for (int[] bs : new int[][] {{3, 0}, {3, 2}, {16, 0}, {16, 16}, {40, 16}, {62, 0}, {62, 16}}) {
      int bits = bs[0];
      int shift = bs[1];
      long lim = 1L << bits;
      long lf = 1L << shift;
      long[] rs = {
        -1L,
        -2L,
        -lim,
        -lim - 1,
        -lim + 1,
        -2 * lim,
        -2 * lim + 1,
        Long.MIN_VALUE,
        Long.MIN_VALUE + 1,
        Long.MIN_VALUE - 1,
        Long.MIN_VALUE + lim - 1,
        0,
        1,
        lim - 1,
        lim,
        lf - 1,
        lf,
        -lf,
        Long.MIN_VALUE | (lim - 1),
        rnd.nextLong(),
        rnd.nextLong() | Long.MIN_VALUE,
        rnd.nextLong() & -lim,
        (rnd.nextLong() & -lim) - 1
      };
      long[] xs = {
        -lim,
        -lim + 1,
        -lf,
        -lf + 1,
        -1,
        0,
        1,
        lf - 1,
        Math.min(lf, lim - 1),
        lim - 2,
        lim - 1,
        rnd.nextLong(-lim, lim),
        rnd.nextLong(-lim, lim)
      };
      int n = 4 * rs.length * xs.length;
      long[] r = new long[n];
      long[] x = new long[n];
      long[] coins = new long[n];
      for (int i = 0; i < n; i++) {
        r[i] = rs[(i >>> 2) / xs.length];
        x[i] = xs[(i >>> 2) % xs.length];
        coins[i] = i & 3; // both values of ρ and of ρ'
      }
      FssReluKeys[] keys = dealByHand(bits, shift, r, coins, rng);
      long[] c = new long[n];
      for (int i = 0; i < n; i++) {
        c[i] = x[i] + lim + r[i];
      }
      long[] y = evaluate(keys, c);
      assertReluFloor(x, y, shift, "k = " + bits + ", f = " + shift);
    }
  }

  /** Both parties' local steps around the opening of the bits, no link. */
  private static long[] evaluate(FssReluKeys[] keys, long[] c) {
    RingThreads one = new RingThreads(1);
    long[] e0 = FssRelu.openingShares(0, keys[0], c, one);
    long[] e1 = FssRelu.openingShares(1, keys[1], c, one);
    long[] opened = new long[e0.length];
    for (int i = 0; i < opened.length; i++) {
      opened[i] = e0[i] ^ e1[i];
    }
    long[] y0 = FssRelu.output(0, keys[0], c, opened);
    long[] y1 = FssRelu.output(1, keys[1], c, opened);
    for (int i = 0; i < c.length; i++) {
      y0[i] += y1[i];
    }
    return y0;
  }

  /**
   * The dealer's job done independently: random splits of r and of the dependent values, fresh
   * bit-DCF keys; {@code coins[i]} bit 0 is ρ, bit 1 is ρ'.
   */
  private static FssReluKeys[] dealByHand(int bits, int shift, long[] r, long[] coins, Prg rng) {
    int n = r.length;
    int per = FssReluKeys.dependentPerElement(shift);
    long[] dep = new long[per * n];
    long[] signAlpha = new long[n];
    long[] signFlip = new long[n];
    long[] borrowAlpha = new long[n];
    long[] borrowFlip = new long[n];
    for (int i = 0; i < n; i++) {
      long rho = coins[i] & 1;
      long rho2 = coins[i] >>> 1;
      long u = r[i] >>> shift;
      long m = r[i] >>> 63;
      long[] v =
          shift == 0
              ? new long[] {rho, rho * r[i]}
              : new long[] {rho, u, rho * u, m, rho * m, rho2, rho * rho2};
      for (int j = 0; j < per; j++) {
        dep[j * n + i] = v[j];
      }
      signAlpha[i] = r[i] & ((1L << bits) - 1);
      signFlip[i] = rho ^ ((r[i] >>> bits) & 1);
      borrowAlpha[i] = r[i] & ((1L << shift) - 1);
      borrowFlip[i] = rho2;
    }
    long[] r0 = rng.nextLongs(n);
    long[] dep0 = rng.nextLongs(per * n);
    long[] r1 = new long[n];
    long[] dep1 = new long[per * n];
    for (int i = 0; i < n; i++) {
      r1[i] = r[i] - r0[i];
    }
    for (int i = 0; i < per * n; i++) {
      dep1[i] = dep[i] - dep0[i];
    }
    BitDcfKeys[] sign = BitDcf.generate(bits, signAlpha, signFlip, rng);
    BitDcfKeys[] borrow =
        shift == 0 ? new BitDcfKeys[2] : BitDcf.generate(shift, borrowAlpha, borrowFlip, rng);
    return new FssReluKeys[] {
      new FssReluKeys(bits, shift, r0, dep0, sign[0], borrow[0]),
      new FssReluKeys(bits, shift, r1, dep1, sign[1], borrow[1])
    };
  }

  /** Online: the masked input (8 B) in one message, the masked bits in a second, each way. */
  @Test
  void twoMessagesEachWayOfOneRingElementAndTwoBits() {
    int n = 5000;
    int bits = 40;
    long[] x = values(n, bits, 3);
    for (int shift : new int[] {0, 16}) {
      TwoParties.Result<long[]> r =
          session().run(p -> FssRelu.relu(p, p.id() == 0 ? x : new long[n], bits, shift));
      assertReluFloor(x, SharedRuns.reveal(r), shift, "f = " + shift);
      assertEquals(2, r.stats0().messagesSent(), "two messages each way");
      int bitWords = (shift == 0 ? 1 : 2) * ((n + 63) / 64);
      assertEquals(8L * n + 8L * bitWords, r.stats0().bytesSent(), "8 B and the masked bits");
    }
  }

  /**
   * Dealer bytes: the sign and (shift > 0) borrow keys' correction blocks to each party, the
   * dependent values to one of them, a seed each.
   */
  @Test
  void dealerBytesPerRelu() {
    int n = 1000;
    for (int bits : new int[] {40, 62}) {
      for (int shift : new int[] {0, 16}) {
        InProcessSession session = session();
        secureRelu(session, values(n, bits, 9), bits, shift, 10);
        long t0 = session.dealer().trafficTo(0).bytes();
        long t1 = session.dealer().trafficTo(1).bytes();
        long keys = BitDcfKeys.bytesPerKey(bits) + (shift == 0 ? 0 : BitDcfKeys.bytesPerKey(16));
        long dep = 8L * FssReluKeys.dependentPerElement(shift);
        assertEquals(2 * 16 + (2 * keys + dep) * n, t0 + t1);
        // one block per input bit above the 7-bit leaf, one for the leaf
        assertEquals(16L * ((bits - 6) + (shift == 0 ? 0 : shift - 6)), keys);
        System.out.printf(
            "FSS ReLU k = %d, f = %d: %d B/ReLU/party of DCF keys; %.1f B/ReLU in all (both"
                + " parties)%n",
            bits, shift, keys, (t0 + t1) / (double) n);
      }
    }
  }

  @Test
  void requestsAndTheirEncoding() {
    assertEquals(List.of(new CorrelationRequest.FssRelu(9, 40, 16)), FssRelu.requests(9, 40, 16));
    assertEquals(List.of(new CorrelationRequest.FssRelu(9, 40)), FssRelu.requests(9, 40, 0));
    assertEquals(
        FssRelu.requests(7, 30, 12),
        session().recordPlan(p -> FssRelu.relu(p, new long[7], 30, 12)).requests());
    for (CorrelationRequest r :
        List.of(
            new CorrelationRequest.FssRelu(123, 40), new CorrelationRequest.FssRelu(5, 62, 16))) {
      assertEquals(
          r,
          org.polyshare.core.correlation.CorrelationPlan.decode(
                  org.polyshare.core.correlation.CorrelationPlan.of(r).encode())
              .requests()
              .get(0));
    }
    assertThrows(IllegalArgumentException.class, () -> new CorrelationRequest.FssRelu(1, 63));
    assertThrows(IllegalArgumentException.class, () -> new CorrelationRequest.FssRelu(1, 8, 9));
    assertTrue(new CorrelationRequest.FssRelu(1, 62).encode()[0] == 11);
  }
}
