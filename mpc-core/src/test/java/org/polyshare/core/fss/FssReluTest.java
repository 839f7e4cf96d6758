package org.polyshare.core.fss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.FssReluKeys;
import org.polyshare.core.correlation.InProcessDealer;
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
    assertEquals((shift == 0 ? 1 : 2) * layers, r.stats0().rounds(), "online rounds per layer");
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
   * y), r near 2^63 (msb r = 1 with and without a wrap), r mod 2^k at 0, 1 and 2^k − 1 (the
   * borrow's threshold at its ends), against x at the edges of the range. The material is dealt
   * here by hand from those r, independently of the {@code Dealer}'s code.
   */
  @Test
  void wrapAroundMasksChosenByHand() {
    Prg rng = new Prg(Seed.random());
    SplittableRandom rnd = new SplittableRandom(5);
    for (int bits : new int[] {3, 16, 40, 62}) {
      long lim = 1L << bits;
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
        Long.MIN_VALUE | (lim - 1),
        rnd.nextLong(),
        rnd.nextLong() | Long.MIN_VALUE,
        rnd.nextLong() & -lim,
        (rnd.nextLong() & -lim) - 1
      };
      long[] xs = {
        -lim, -lim + 1, -1, 0, 1, lim - 2, lim - 1, rnd.nextLong(-lim, lim), rnd.nextLong(-lim, lim)
      };
      int n = rs.length * xs.length;
      long[] r = new long[n];
      long[] x = new long[n];
      for (int i = 0; i < rs.length; i++) {
        for (int j = 0; j < xs.length; j++) {
          r[i * xs.length + j] = rs[i];
          x[i * xs.length + j] = xs[j];
        }
      }
      FssReluKeys[] keys = dealByHand(bits, r, rng);
      long[] c = new long[n];
      for (int i = 0; i < n; i++) {
        c[i] = x[i] + lim + r[i];
      }
      long[] y0 = FssRelu.evaluate(0, keys[0], c);
      long[] y1 = FssRelu.evaluate(1, keys[1], c);
      long[] y = new long[n];
      for (int i = 0; i < n; i++) {
        y[i] = y0[i] + y1[i];
      }
      assertReluFloor(x, y, 0, "k = " + bits + " (r = " + Arrays.toString(rs) + ")");
    }
  }

  /** The dealer's job done independently: random splits of the five values, fresh DCF keys. */
  private static FssReluKeys[] dealByHand(int bits, long[] r, Prg rng) {
    int n = r.length;
    long[][] whole = new long[5][n];
    long[] alpha = new long[n];
    long[] payload = new long[2 * n];
    for (int i = 0; i < n; i++) {
      long u = r[i] >>> bits;
      long m = r[i] >>> 63;
      whole[0][i] = r[i];
      whole[1][i] = u;
      whole[2][i] = m;
      whole[3][i] = r[i] * u;
      whole[4][i] = r[i] * m;
      alpha[i] = r[i] & ((1L << bits) - 1);
      payload[2 * i] = 1;
      payload[2 * i + 1] = r[i];
    }
    long[][] s0 = new long[5][];
    long[][] s1 = new long[5][n];
    for (int j = 0; j < 5; j++) {
      s0[j] = rng.nextLongs(n);
      for (int i = 0; i < n; i++) {
        s1[j][i] = whole[j][i] - s0[j][i];
      }
    }
    DcfKeys[] k = Dcf.generate(bits, 2, alpha, payload, rng);
    return new FssReluKeys[] {
      new FssReluKeys(bits, s0[0], s0[1], s0[2], s0[3], s0[4], k[0]),
      new FssReluKeys(bits, s1[0], s1[1], s1[2], s1[3], s1[4], k[1])
    };
  }

  /** The evaluation is batched: k + 1 AES calls per party for a whole layer, whatever its size. */
  @Test
  void oneCipherCallPerLevelForTheWholeLayer() {
    int n = 5000;
    int bits = 40;
    long[] x = values(n, bits, 3);
    InProcessSession session = session();
    long[] calls = new long[2];
    TwoParties.Result<long[]> r =
        session.run(
            p -> {
              TreePrg prg = new TreePrg();
              long[] y = FssRelu.relu(p, p.id() == 0 ? x : new long[n], bits, 0, prg);
              calls[p.id()] = prg.cipherCalls();
              return y;
            });
    assertEquals(bits + 1, calls[0]);
    assertEquals(bits + 1, calls[1]);
    long[] y = SharedRuns.reveal(r);
    assertReluFloor(x, y, 0, "batched");
    assertEquals(1, r.stats0().messagesSent(), "one message each way");
    assertEquals(8L * n, r.stats0().bytesSent(), "one ring element per ReLU");
  }

  /**
   * Dealer bytes: one width-2 k-bit key per ReLU to each party, the 4 mask values to one of them.
   */
  @Test
  void dealerBytesPerRelu() {
    int n = 1000;
    for (int bits : new int[] {40, 62}) {
      InProcessSession session = session();
      secureRelu(session, values(n, bits, 9), bits, 16, 10);
      InProcessDealer.Traffic t0 = session.dealer().trafficTo(0);
      InProcessDealer.Traffic t1 = session.dealer().trafficTo(1);
      long relu = 8L * DcfKeys.correctionLength(bits, 2, n);
      assertEquals(DcfKeys.bytesPerKey(bits, 2) - 16, relu / (double) n, 0.01);
      long trunc = 8L * DcfKeys.correctionLength(16, n);
      assertEquals(2 * (16 + relu) + 32L * n + 2 * (16 + trunc) + 16L * n, t0.bytes() + t1.bytes());
      System.out.printf(
          "FSS ReLU k = %d: %.1f B/ReLU/party of DCF keys, + %.1f B with the exact"
              + " truncation by 16; %.1f B/ReLU in all (both parties)%n",
          bits,
          relu / (double) n,
          (relu + trunc) / (double) n,
          (t0.bytes() + t1.bytes()) / (double) n);
    }
  }

  @Test
  void requestsAndTheirEncoding() {
    assertEquals(
        List.of(
            new CorrelationRequest.FssRelu(9, 40), new CorrelationRequest.ExactTruncation(9, 16)),
        FssRelu.requests(9, 40, 16));
    assertEquals(List.of(new CorrelationRequest.FssRelu(9, 40)), FssRelu.requests(9, 40, 0));
    assertEquals(
        FssRelu.requests(7, 30, 12),
        session().recordPlan(p -> FssRelu.relu(p, new long[7], 30, 12)).requests());
    CorrelationRequest r = new CorrelationRequest.FssRelu(123, 40);
    assertEquals(
        r,
        org.polyshare.core.correlation.CorrelationPlan.decode(
                org.polyshare.core.correlation.CorrelationPlan.of(r).encode())
            .requests()
            .get(0));
    assertThrows(IllegalArgumentException.class, () -> new CorrelationRequest.FssRelu(1, 63));
    assertTrue(new CorrelationRequest.FssRelu(1, 62).encode()[0] == 11);
  }
}
