package org.polyshare.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer's backward pass against central finite differences of the scalar {@code L = Σ r ⊙
 * forward(x)} for a fixed random {@code r}: {@code dL/dx} and {@code dL/dθ} for each parameter.
 * Batches of 3 samples over 2 worker threads, so the per-worker gradient reduction is exercised
 * too.
 */
class GradientCheckTest {
  private static Parallel par;

  @BeforeAll
  static void pool() {
    par = new Parallel(2);
  }

  @AfterAll
  static void close() {
    par.close();
  }

  private static final int N = 3;
  private static final double H = 1e-5;

  private static double[] random(SplittableRandom rng, int len) {
    double[] a = new double[len];
    for (int i = 0; i < len; i++) {
      a[i] = rng.nextDouble() * 2 - 1;
    }
    return a;
  }

  private static double loss(TrainLayer l, double[] x, double[] r) {
    double[] y = l.forward(x.clone(), N, true);
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += r[i] * y[i];
    }
    return s;
  }

  /** Checks dL/dx and every parameter gradient of {@code l} on input shape {@code in}. */
  private static void check(TrainLayer l, int[] in, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    l.bind(in, par);
    double[] x = random(rng, N * l.inSize);
    double[] r = random(rng, N * l.outSize);
    l.forward(x.clone(), N, true);
    for (Param p : l.params()) {
      java.util.Arrays.fill(p.grad, 0);
    }
    double[] dx = l.backward(r.clone(), N);
    double scale = 0;
    for (int i = 0; i < x.length; i++) {
      double num = centralDifference(l, x, r, x, i);
      scale = Math.max(scale, Math.abs(num));
      assertEquals(num, dx[i], 1e-6 * Math.max(1, Math.abs(num)), l.name + ": dL/dx[" + i + "]");
    }
    assertTrue(scale > 1e-3, l.name + ": the check must see a non-trivial gradient");
    List<Param> params = l.params();
    for (Param p : params) {
      double[] g = p.grad.clone();
      for (int i = 0; i < p.value.length; i++) {
        double num = centralDifference(l, x, r, p.value, i);
        assertEquals(
            num,
            g[i],
            1e-6 * Math.max(1, Math.abs(num)),
            l.name + ": dL/d" + p.name + "[" + i + "]");
      }
    }
  }

  /**
   * {@code dL/dv[i]} by {@code (L(v[i] + H) − L(v[i] − H)) / 2H}, {@code v} being x or a parameter.
   */
  private static double centralDifference(TrainLayer l, double[] x, double[] r, double[] v, int i) {
    double keep = v[i];
    v[i] = keep + H;
    double up = loss(l, x, r);
    v[i] = keep - H;
    double down = loss(l, x, r);
    v[i] = keep;
    return (up - down) / (2 * H);
  }

  /** {@code c} with its weights drawn from {@code seed}. */
  private static TrainConv2d initialised(TrainConv2d c, long seed) {
    c.init(new SplittableRandom(seed));
    return c;
  }

  private static TrainLinear initialised(TrainLinear l, long seed) {
    l.init(new SplittableRandom(seed));
    return l;
  }

  @Test
  void conv2dPaddedStrided() {
    check(initialised(new TrainConv2d("conv", 2, 3, 3, 2, 1), 1), new int[] {2, 7, 6}, 11);
  }

  @Test
  void conv2dCoveringWholeInputIsDense() {
    check(initialised(new TrainConv2d("dense", 3, 5, 4, 1, 0), 2), new int[] {3, 4, 4}, 12);
  }

  /** PolyKerv with a shared cp, cubic with per-channel cp, and with its BatchNorm. */
  static Stream<Arguments> polyKervs() {
    return Stream.of(
        Arguments.of(
            named(new TrainPolyKerv("pk", 2, 4, 3, 1, 1, new double[] {0.7}, 2, false)), 5, 3),
        Arguments.of(
            named(new TrainPolyKerv("pk3", 2, 3, 3, 1, 0, new double[] {0.5, -0.2, 1.0}, 3, false)),
            5,
            4),
        Arguments.of(
            named(new TrainPolyKerv("pkbn", 2, 4, 3, 1, 1, new double[] {1.0}, 2, true)), 4, 5));
  }

  private static Named<TrainPolyKerv> named(TrainPolyKerv pk) {
    return Named.of(pk.name, pk);
  }

  @ParameterizedTest
  @MethodSource("polyKervs")
  void polyKerv(TrainPolyKerv pk, int hw, long initSeed) {
    check(initialised(pk, initSeed), new int[] {2, hw, hw}, 10 + initSeed);
  }

  @Test
  void batchNormSpatialAndFlat() {
    TrainBatchNorm bn = new TrainBatchNorm("bn2d", 3, 1e-5);
    bn.gamma.value[1] = 1.7;
    bn.beta.value[2] = -0.4;
    check(bn, new int[] {3, 3, 2}, 16);
    check(new TrainBatchNorm("bn1d", 5, 1e-5), new int[] {5}, 17);
  }

  @Test
  void avgPool() {
    check(new TrainAvgPool("pool", 2, 2), new int[] {2, 6, 4}, 18);
  }

  /** The gradient check holds for any linear forward; this pins the forward to the window mean. */
  @Test
  void avgPoolForwardIsTheWindowMean() {
    TrainAvgPool l = new TrainAvgPool("pool", 3, 2);
    int c = 2, h = 7, w = 5;
    l.bind(new int[] {c, h, w}, par);
    double[] x = random(new SplittableRandom(19), N * l.inSize);
    double[] y = l.forward(x.clone(), N, false);
    int oh = 3, ow = 2;
    assertEquals(N * c * oh * ow, y.length);
    for (int i = 0; i < N; i++) {
      for (int ch = 0; ch < c; ch++) {
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            double s = 0;
            for (int a = 0; a < 3; a++) {
              for (int b = 0; b < 3; b++) {
                s += x[((i * c + ch) * h + 2 * oy + a) * w + 2 * ox + b];
              }
            }
            assertEquals(s / 9, y[((i * c + ch) * oh + oy) * ow + ox], 1e-12);
          }
        }
      }
    }
  }

  @Test
  void linear() {
    check(initialised(new TrainLinear("fc", 7, 5), 6), new int[] {7}, 19);
  }

  @Test
  void relu() {
    check(new TrainRelu("relu"), new int[] {2, 3, 3}, 20);
  }
}
