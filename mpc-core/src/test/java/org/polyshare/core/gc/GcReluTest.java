package org.polyshare.core.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.ring.FixedPoint;

class GcReluTest {

  /** Values that stress the adder, the sign and the shift, plus random ones of every magnitude. */
  static long[] testValues(int n, long seed) {
    long[] special = {
      0,
      1,
      -1,
      2,
      -2,
      Long.MAX_VALUE,
      Long.MIN_VALUE,
      Long.MIN_VALUE + 1,
      Long.MAX_VALUE - 1,
      1L << 16,
      -(1L << 16),
      (1L << 16) - 1,
      -(1L << 16) + 1,
      1L << 62,
      -(1L << 62),
      0x5555_5555L
    };
    Random rnd = new Random(seed);
    long[] x = new long[n];
    for (int i = 0; i < n; i++) {
      x[i] = i < special.length ? special[i] : rnd.nextLong() >> rnd.nextInt(64);
    }
    return x;
  }

  static long[][] run(long[] x, int shift) {
    int n = x.length;
    Random rnd = new Random(11);
    long[] x0 = new long[n];
    long[] x1 = new long[n];
    for (int i = 0; i < n; i++) {
      x0[i] = rnd.nextLong();
      x1[i] = x[i] - x0[i];
    }
    InProcessDealer dealer = new InProcessDealer();
    TwoParties.Result<long[]> r =
        TwoParties.run(
            link -> {
              Party p = new Party(0, link, dealer.source(0), FixedPoint.defaults());
              GcRelu.Offline off = GcRelu.prepare(p, n, shift);
              return GcRelu.online(p, off, x0);
            },
            link -> {
              Party p = new Party(1, link, dealer.source(1), FixedPoint.defaults());
              GcRelu.Offline off = GcRelu.prepare(p, n, shift);
              return GcRelu.online(p, off, x1);
            });
    return new long[][] {r.party0(), r.party1()};
  }

  @Test
  void sharesReconstructReluShifted() {
    for (int shift : new int[] {0, 16}) {
      long[] x = testValues(1100, shift); // three chunks, the last partial
      long[][] s = run(x, shift);
      for (int i = 0; i < x.length; i++) {
        long expect = Math.max(x[i], 0) >> shift;
        assertEquals(expect, s[0][i] + s[1][i], "x = " + x[i] + ", shift " + shift);
      }
    }
  }

  @Test
  void evaluatorShareIsUniformForAFixedInput() {
    // 4096 ReLUs of the same x: party 1's outputs y = ReLU(x) − r must look uniform bit by bit
    int n = 4096;
    long[] x = new long[n];
    java.util.Arrays.fill(x, 12345L << 16);
    long[][] s = run(x, 16);
    for (int bit = 0; bit < 64; bit++) {
      int ones = 0;
      for (long y : s[1]) {
        ones += (int) ((y >>> bit) & 1L);
      }
      // Binomial(4096, 1/2), sd 32; |ones − 2048| ≥ 224 (7 sd) has probability 2.7e-12 per bit,
      // 1.7e-10 over the 64 bits (exact binomial tail): a false alarm once in ~10^10 runs
      assertTrue(
          Math.abs(ones - n / 2) < 224,
          "bit " + bit + " of party 1's share is set " + ones + " times");
    }
  }

  @Test
  void sharesAreMaskedNotTheValue() {
    long[] x = testValues(64, 5);
    long[][] s = run(x, 3);
    int equalToResult = 0;
    for (int i = 0; i < x.length; i++) {
      if (s[1][i] == Math.max(x[i], 0) >> 3) {
        equalToResult++;
      }
    }
    assertTrue(
        equalToResult <= 1, "party 1's share equals the plain result " + equalToResult + " times");
    assertNotEquals(s[0][0], s[0][1]);
  }

  @Test
  void fixedPointReluMatchesDoubleReference() {
    FixedPoint fp = FixedPoint.defaults();
    int f = fp.fracBits();
    Random rnd = new Random(1);
    double[] v = new double[300];
    long[] prod = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = (rnd.nextDouble() - 0.5) * 200;
      // a product of two encodings carries 2f fractional bits: encode(v) · 2^f
      prod[i] = fp.encode(v[i]) << f;
    }
    long[][] s = run(prod, f);
    for (int i = 0; i < v.length; i++) {
      double got = fp.decode(s[0][i] + s[1][i]);
      assertEquals(Math.max(v[i], 0), got, Math.scalb(1.0, -f), "v = " + v[i]);
    }
  }

  @Test
  void circuitHas189MinusShiftAndGates() {
    assertEquals(189, GcRelu.andGates(0));
    assertEquals(173, GcRelu.andGates(16));
    Circuit c = GcRelu.circuit(16);
    long[] x = testValues(200, 9);
    Random rnd = new Random(2);
    for (long xi : x) {
      long s = rnd.nextLong();
      long r = rnd.nextLong();
      long y = c.evaluate(new long[] {xi - s}, new long[] {-r}, new long[] {s})[0][0];
      assertEquals((Math.max(xi, 0) >> 16) - r, y);
    }
  }

  @Test
  void materialIsSingleUseAndChecked() {
    InProcessDealer dealer = new InProcessDealer();
    assertThrows(
        IllegalStateException.class,
        () ->
            TwoParties.run(
                link -> {
                  Party p = new Party(0, link, dealer.source(0), FixedPoint.defaults());
                  GcRelu.Offline off = GcRelu.prepare(p, 4, 0);
                  GcRelu.online(p, off, new long[4]);
                  return GcRelu.online(p, off, new long[4]);
                },
                link -> {
                  Party p = new Party(1, link, dealer.source(1), FixedPoint.defaults());
                  GcRelu.Offline off = GcRelu.prepare(p, 4, 0);
                  return GcRelu.online(p, off, new long[4]);
                }));
    assertThrows(IllegalArgumentException.class, () -> GcRelu.circuit(64));
  }

  @Test
  void maxPoolSharesReconstructWindowMax() {
    int window = 4;
    int n = 300;
    long[] x = testValues(n * window, 21);
    long[] x0 = new long[x.length];
    long[] x1 = new long[x.length];
    Random rnd = new Random(8);
    for (int i = 0; i < x.length; i++) {
      x0[i] = rnd.nextLong();
      x1[i] = x[i] - x0[i];
    }
    assertEquals(63 * 4 + 128 * 3 + 63, GcMaxPool.circuit(window, 0).andCount());
    for (int shift : new int[] {0, 5}) {
      InProcessDealer dealer = new InProcessDealer();
      TwoParties.Result<long[]> r =
          TwoParties.run(
              link -> {
                Party p = new Party(0, link, dealer.source(0), FixedPoint.defaults());
                return GcMaxPool.online(p, GcMaxPool.prepare(p, n, window, shift), x0);
              },
              link -> {
                Party p = new Party(1, link, dealer.source(1), FixedPoint.defaults());
                return GcMaxPool.online(p, GcMaxPool.prepare(p, n, window, shift), x1);
              });
      for (int g = 0; g < n; g++) {
        long max = Long.MIN_VALUE;
        for (int i = 0; i < window; i++) {
          max = Math.max(max, x[g * window + i]);
        }
        assertEquals(
            max >> shift, r.party0()[g] + r.party1()[g], "window " + g + " shift " + shift);
      }
    }
  }
}
