package org.polyshare.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.MatMulShape;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.ring.FixedPoint;

/**
 * Every op, secure vs a plaintext double reference computed on the same (already encoded) inputs.
 * Bounds are in ulps (2^-f) of the result and are derived in each test; the double reference's own
 * rounding is covered by a relative slack of 1e-12.
 */
class SecureOpsTest {
  private static final FixedPoint FP = FixedPoint.defaults();
  private static final double ULP = 1.0 / FP.one();

  private static InProcessSession session() {
    return new InProcessSession(FP, TruncationMode.DEALER);
  }

  /** Uniform reals in ±bound, rounded to the fixed-point grid. */
  private static double[] values(SplittableRandom rnd, int n, double bound) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = FP.decode(FP.encode((rnd.nextDouble() * 2 - 1) * bound));
    }
    return v;
  }

  private static void assertClose(double[] expect, double[] actual, double ulps, String what) {
    assertEquals(expect.length, actual.length, what);
    double worst = 0;
    for (int i = 0; i < expect.length; i++) {
      double err = Math.abs(expect[i] - actual[i]);
      double bound = ulps * ULP + 1e-12 * Math.abs(expect[i]);
      worst = Math.max(worst, err / ULP);
      if (err > bound) {
        throw new AssertionError(
            what
                + ": element "
                + i
                + " expected "
                + expect[i]
                + " got "
                + actual[i]
                + " ("
                + err / ULP
                + " ulps > "
                + ulps
                + ")");
      }
    }
    System.out.printf("%s: max error %.3f ulps (bound %.3f)%n", what, worst, ulps);
  }

  /** Party 0 shares x, party 1 shares y, both run op, the result is opened. */
  private interface BinaryOp {
    long[] apply(Party p, long[] x, long[] y);
  }

  private static double[] secure(double[] x, double[] y, BinaryOp op) {
    TwoParties.Result<long[]> r =
        session()
            .run(
                p -> {
                  long[] xs = Sharing.share(p, 0, p.id() == 0 ? FP.encode(x) : null, x.length);
                  long[] ys = Sharing.share(p, 1, p.id() == 1 ? FP.encode(y) : null, y.length);
                  return Sharing.open(p, op.apply(p, xs, ys));
                });
    assertArrayEquals(r.party0(), r.party1(), "both parties open the same value");
    return FP.decode(r.party0());
  }

  @Test
  void shareAndOpenRoundTripWithSeedSizedSharingMessages() {
    SplittableRandom rnd = new SplittableRandom(1);
    double[] x = values(rnd, 1000, 1000);
    TwoParties.Result<long[][]> r =
        session()
            .run(
                p -> {
                  long[] s = Sharing.share(p, 1, p.id() == 1 ? FP.encode(x) : null, x.length);
                  long sent = p.link().stats().bytesSent();
                  long[] opened = Sharing.open(p, s);
                  long[] only1 = Sharing.revealTo(p, 1, s);
                  Sharing.InputMask mask = Sharing.prepareInput(p, 1, x.length);
                  long before = p.link().stats().bytesSent();
                  long[] s2 = Sharing.shareInput(p, mask, p.id() == 1 ? FP.encode(x) : null);
                  assertEquals(
                      before, p.link().stats().bytesSent(), "online input sharing sends nothing");
                  assertThrows(
                      IllegalStateException.class,
                      () -> Sharing.shareInput(p, mask, p.id() == 1 ? FP.encode(x) : null));
                  return new long[][] {s, opened, only1, {sent}, Sharing.open(p, s2)};
                });
    assertArrayEquals(FP.encode(x), r.party0()[1]);
    assertArrayEquals(FP.encode(x), r.party1()[2]);
    assertEquals(null, r.party0()[2]);
    assertEquals(16, r.party1()[3][0], "sharing costs one 16-byte seed");
    assertEquals(0, r.party0()[3][0]);
    assertArrayEquals(FP.encode(x), r.party0()[4], "prepared input mask shares the same value");
  }

  @Test
  void elementwiseMultiplyAndSquareAreWithinOneUlpUpToTheRangeLimit() {
    SplittableRandom rnd = new SplittableRandom(2);
    // |x·y| < 2^30 keeps the 2f-bit product below 2^62 (the truncation's range) at f = 16.
    for (double bound : new double[] {1, 300, 32000}) {
      int n = 2000 + rnd.nextInt(2000);
      double[] x = values(rnd, n, bound);
      double[] y = values(rnd, n, bound);
      double[] xy = new double[n];
      double[] xx = new double[n];
      for (int i = 0; i < n; i++) {
        xy[i] = x[i] * y[i];
        xx[i] = x[i] * x[i];
      }
      // Ring products are exact; the one truncation gives floor(v) or floor(v)+1 ulps.
      assertClose(xy, secure(x, y, Beaver::mul), 1, "mul |x|,|y|<" + bound);
      assertClose(xx, secure(x, y, (p, a, b) -> Beaver.square(p, a)), 1, "square |x|<" + bound);
    }
  }

  @Test
  void matmulAndConvWithGenericTriplesAndWithFixedWeightMasks() {
    SplittableRandom rnd = new SplittableRandom(3);
    for (int trial = 0; trial < 4; trial++) {
      MatMulShape ms =
          new MatMulShape(1 + rnd.nextInt(4), 1 + rnd.nextInt(70), 1 + rnd.nextInt(30));
      double[] x = values(rnd, ms.leftNumel(), 8);
      double[] w = values(rnd, ms.rightNumel(), 1);
      double[] expect = matmulDouble(x, w, ms);
      // Weights from party 0 in both forms; products are exact, one truncation.
      assertClose(
          expect, secure(w, x, (p, ws, xs) -> Beaver.matmul(p, xs, ws, ms)), 1, "matmul " + ms);
      assertClose(
          expect,
          secure(
              w,
              x,
              (p, ws, xs) -> {
                FixedWeightLinear layer = FixedWeightLinear.matmul(p, trialMask(), ws, ms);
                layer.apply(p, xs); // a first inference, then a second one with the same mask
                return layer.apply(p, xs);
              }),
          1,
          "fixed-weight matmul " + ms);

      int k = 1 + rnd.nextInt(3);
      Conv2dShape cs =
          new Conv2dShape(
              1 + rnd.nextInt(2),
              1 + rnd.nextInt(4),
              k + rnd.nextInt(7),
              k + rnd.nextInt(7),
              1 + rnd.nextInt(4),
              k,
              k,
              1 + rnd.nextInt(2),
              rnd.nextInt(2));
      double[] img = values(rnd, cs.inputNumel(), 8);
      double[] kern = values(rnd, cs.weightNumel(), 1);
      double[] ref = convDouble(img, kern, cs);
      assertClose(
          ref, secure(kern, img, (p, ws, xs) -> Beaver.conv2d(p, xs, ws, cs)), 1, "conv2d " + cs);
      assertClose(
          ref,
          secure(
              kern,
              img,
              (p, ws, xs) -> {
                FixedWeightLinear layer = FixedWeightLinear.conv(p, 0, ws, cs);
                FixedWeightLinear.Prepared first = layer.prepare(p);
                FixedWeightLinear.Prepared second = layer.prepare(p);
                layer.apply(p, first, xs);
                long[] out = layer.apply(p, second, xs);
                assertThrows(
                    IllegalStateException.class,
                    () -> layer.apply(p, first, xs),
                    "prepared material is single-use");
                return out;
              }),
          1,
          "fixed-weight conv2d " + cs);
    }
  }

  @Test
  void ownerHeldFixedWeightLayersLeavePartyOneWithoutOnlineWork() {
    SplittableRandom rnd = new SplittableRandom(6);
    Conv2dShape cs = new Conv2dShape(2, 3, 9, 7, 4, 3, 3, 1, 1);
    MatMulShape ms = new MatMulShape(3, 40, 7);
    double[] img = values(rnd, cs.inputNumel(), 8);
    double[] kern = values(rnd, cs.weightNumel(), 1);
    double[] x = values(rnd, ms.leftNumel(), 8);
    double[] w = values(rnd, ms.rightNumel(), 1);
    double[] mmRef = matmulDouble(x, w, ms);
    TwoParties.Result<long[][]> r =
        session()
            .run(
                p -> {
                  FixedWeightLinear conv =
                      FixedWeightLinear.ownedConv(p, 1, p.id() == 0 ? FP.encode(kern) : null, cs);
                  FixedWeightLinear dense =
                      FixedWeightLinear.ownedMatMul(p, 2, p.id() == 0 ? FP.encode(w) : null, ms);
                  long[] xs = Sharing.share(p, 1, p.id() == 1 ? FP.encode(img) : null, img.length);
                  long[] ys = Sharing.share(p, 1, p.id() == 1 ? FP.encode(x) : null, x.length);
                  FixedWeightLinear.Prepared pc = conv.prepare(p);
                  FixedWeightLinear.Prepared pd = dense.prepare(p);
                  long before = p.link().stats().bytesSent();
                  long[] zc = conv.applyRaw(p, pc, xs);
                  long sent = p.link().stats().bytesSent() - before;
                  long[] zd = dense.apply(p, pd, ys);
                  // The same session setup serves another batch size (the mask is on the weights
                  // only).
                  long[] firstImage =
                      Sharing.share(
                          p,
                          1,
                          p.id() == 1
                              ? java.util.Arrays.copyOf(FP.encode(img), cs.inputNumel() / 2)
                              : null,
                          cs.inputNumel() / 2);
                  long[] zb = conv.withBatch(1).apply(p, firstImage);
                  return new long[][] {
                    Sharing.open(p, Truncation.truncate(p, zc)),
                    Sharing.open(p, zd),
                    {sent},
                    Sharing.open(p, zb)
                  };
                });
    double[] convRef = SecureOpsTest.convDouble(img, kern, cs);
    assertClose(convRef, FP.decode(r.party0()[0]), 1, "owner-held conv " + cs);
    assertClose(
        java.util.Arrays.copyOf(convRef, convRef.length / 2),
        FP.decode(r.party0()[3]),
        1,
        "owner-held conv, batch 1 of the same layer");
    assertClose(mmRef, FP.decode(r.party0()[1]), 1, "owner-held matmul " + ms);
    assertEquals(0, r.party0()[2][0], "party 0 sends nothing in the online linear step");
    assertEquals(
        8L * cs.inputNumel(), r.party1()[2][0], "party 1 sends its masked input share once");
  }

  private static int trialMask() {
    return 5;
  }

  /** {@code X[m,k] · W[k,n]} in double: the reference the secure products are held to. */
  static double[] matmulDouble(double[] x, double[] w, MatMulShape s) {
    double[] out = new double[s.outputNumel()];
    for (int i = 0; i < s.m(); i++) {
      for (int j = 0; j < s.n(); j++) {
        for (int k = 0; k < s.k(); k++) {
          out[i * s.n() + j] += x[i * s.k() + k] * w[k * s.n() + j];
        }
      }
    }
    return out;
  }

  static double[] convDouble(double[] x, double[] w, Conv2dShape s) {
    double[] out = new double[s.outputNumel()];
    for (int b = 0; b < s.batch(); b++) {
      for (int o = 0; o < s.outC(); o++) {
        for (int oy = 0; oy < s.outH(); oy++) {
          for (int ox = 0; ox < s.outW(); ox++) {
            double acc = 0;
            for (int c = 0; c < s.inC(); c++) {
              for (int ky = 0; ky < s.kH(); ky++) {
                for (int kx = 0; kx < s.kW(); kx++) {
                  int iy = oy * s.stride() - s.pad() + ky;
                  int ix = ox * s.stride() - s.pad() + kx;
                  if (iy >= 0 && iy < s.h() && ix >= 0 && ix < s.w()) {
                    acc +=
                        x[((b * s.inC() + c) * s.h() + iy) * s.w() + ix]
                            * w[((o * s.inC() + c) * s.kH() + ky) * s.kW() + kx];
                  }
                }
              }
            }
            out[((b * s.outC() + o) * s.outH() + oy) * s.outW() + ox] = acc;
          }
        }
      }
    }
    return out;
  }

  @Test
  void averagePoolingAndPublicScalingStayWithinTheirBounds() {
    SplittableRandom rnd = new SplittableRandom(4);
    int batch = 2;
    int ch = 3;
    int h = 9;
    double[] x = values(rnd, batch * ch * h * h, 100);
    for (int k : new int[] {2, 3}) {
      int stride = k;
      int oh = (h - k) / stride + 1;
      double[] expect = new double[batch * ch * oh * oh];
      double maxAvg = 0;
      for (int bc = 0; bc < batch * ch; bc++) {
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < oh; ox++) {
            double s = 0;
            for (int ky = 0; ky < k; ky++) {
              for (int kx = 0; kx < k; kx++) {
                s += x[bc * h * h + (oy * stride + ky) * h + ox * stride + kx];
              }
            }
            expect[bc * oh * oh + oy * oh + ox] = s / (k * k);
            maxAvg = Math.max(maxAvg, Math.abs(s));
          }
        }
      }
      // Constant 1/k² carries f+g bits: error <= 1 + |sum|·2^(-g-1) ulps.
      double bound = 1 + maxAvg * Math.scalb(1.0, -Arithmetic.guardBits(FP.fracBits()) - 1);
      assertClose(
          expect,
          secure(x, x, (p, a, b) -> Activations.avgPool(p, a, batch, ch, h, h, k, stride)),
          bound,
          "avgpool k=" + k);
    }
    // Global average pooling over a non-square plane.
    double[] g = values(rnd, 2 * 3 * 4 * 6, 50);
    double[] gExpect = new double[6];
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 24; j++) {
        gExpect[i] += g[i * 24 + j] / 24;
      }
    }
    double gBound = 1 + 24 * 50 * Math.scalb(1.0, -Arithmetic.guardBits(FP.fracBits()) - 1);
    assertClose(
        gExpect,
        secure(g, g, (p, a, b) -> Activations.globalAvgPool(p, a, 2, 3, 4, 6)),
        gBound,
        "global avgpool 4x6");

    double[] y = values(rnd, 5000, 1000);
    double[] expect = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      expect[i] = -0.3 * y[i];
    }
    double bound = 1 + 1000 * Math.scalb(1.0, -Arithmetic.guardBits(FP.fracBits()) - 1);
    assertClose(
        expect,
        secure(y, y, (p, a, b) -> Arithmetic.mulPublic(p, a, -0.3)),
        bound,
        "mulPublic(-0.3)");
    double[] sum = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      sum[i] = y[i] + y[i] - 1.5;
    }
    assertClose(
        sum,
        secure(y, y, (p, a, b) -> Arithmetic.addPublic(p, Arithmetic.add(a, b), FP.encode(-1.5))),
        0,
        "add + public");
  }

  @Test
  void polynomialActivationMatchesWithinAPropagatedErrorBound() {
    SplittableRandom rnd = new SplittableRandom(5);
    double c = 0.75;
    for (int d = 1; d <= 5; d++) {
      double[] x = values(rnd, 3000, d <= 3 ? 20 : 5);
      double[] expect = new double[x.length];
      double maxBase = 0;
      for (int i = 0; i < x.length; i++) {
        expect[i] = Math.pow(x[i] + c, d);
        maxBase = Math.max(maxBase, Math.abs(x[i] + c));
      }
      int degree = d;
      double bound = powerErrorBound(maxBase, d) / ULP;
      assertClose(
          expect,
          secure(
              x, x, (p, a, b) -> Activations.power(p, a, p.id() == 0 ? FP.encode(c) : 0, degree)),
          bound,
          "(x+c)^" + d);
    }
  }

  /**
   * Worst-case error (real units) of the square-and-multiply schedule of {@link Activations#power}
   * when each truncation adds at most one ulp: for a product of u ± eu and v ± ev the error is at
   * most |u|·ev + |v|·eu + eu·ev + ulp.
   */
  private static double powerErrorBound(double base, int d) {
    double bMag = base;
    double bErr = 0;
    double rMag = Double.NaN;
    double rErr = 0;
    int e = d;
    while (true) {
      if ((e & 1) != 0) {
        if (Double.isNaN(rMag)) {
          rMag = bMag;
          rErr = bErr;
        } else {
          rErr = rMag * bErr + bMag * rErr + rErr * bErr + ULP;
          rMag = rMag * bMag;
        }
      }
      e >>>= 1;
      if (e == 0) {
        return rErr;
      }
      bErr = 2 * bMag * bErr + bErr * bErr + ULP;
      bMag = bMag * bMag;
    }
  }

  @Test
  void convOfSharedSquareComposesTheArrayOps() {
    double[] v = values(new SplittableRandom(8), 2 * 3 * 4 * 4, 4);
    Conv2dShape cs = new Conv2dShape(2, 3, 4, 4, 5, 3, 3, 1, 1);
    double[] k = values(new SplittableRandom(9), cs.weightNumel(), 1);
    TwoParties.Result<long[]> r =
        session()
            .run(
                p -> {
                  long[] x = Sharing.share(p, 1, p.id() == 1 ? FP.encode(v) : null, v.length);
                  long[] sq = Activations.power(p, Beaver.mul(p, x, x), 0, 1);
                  FixedWeightLinear layer =
                      FixedWeightLinear.ownedConv(p, 0, p.id() == 0 ? FP.encode(k) : null, cs);
                  long[] scaled = sq.clone();
                  for (int i = 0; i < scaled.length; i++) {
                    scaled[i] *= FP.one();
                  }
                  long[] out = layer.apply(p, layer.prepare(p), Truncation.truncate(p, scaled));
                  return Sharing.open(p, out);
                });
    assertEquals(2 * 5 * 4 * 4, r.party0().length);
    double[] squares = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      squares[i] = v[i] * v[i];
    }
    // Two truncations before the conv (each < 1 ulp on x²), then one after it; the conv sums
    // 27 weights |w| <= 1 times the input error: bound 27·2 + 1 ulps.
    assertClose(convDouble(squares, k, cs), FP.decode(r.party0()), 55, "conv(x²)");
  }

  @Test
  void planOfAComputationIsRecordedAndEmptyOpsAreFree() {
    org.polyshare.core.correlation.CorrelationPlan plan =
        session().recordPlan(p -> Activations.power(p, new long[10], 0, 3));
    // (x+c)^3: square + truncation, then multiply + truncation.
    assertEquals(
        java.util.List.of(
            new org.polyshare.core.correlation.CorrelationRequest.Squares(10),
            new org.polyshare.core.correlation.CorrelationRequest.Truncation(10, FP.fracBits()),
            new org.polyshare.core.correlation.CorrelationRequest.Triples(10),
            new org.polyshare.core.correlation.CorrelationRequest.Truncation(10, FP.fracBits())),
        plan.requests());
    assertEquals(0, session().recordPlan(p -> Beaver.mul(p, new long[0], new long[0])).size());
  }

  @Test
  void badInputsFailWithClearMessages() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> session().run(p -> Beaver.mul(p, new long[3], new long[4])));
    assertTrue(e.getMessage().contains("lengths differ"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> session().run(p -> Activations.power(p, new long[1], 0, 0)));
    assertTrue(e.getMessage().contains("degree"), e.getMessage());
  }
}
