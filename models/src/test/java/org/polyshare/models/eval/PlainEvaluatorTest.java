package org.polyshare.models.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.polyshare.models.graph.BatchNorm;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyKerv;

class PlainEvaluatorTest {

  /** Direct definition of the convolution, index by index, for comparison. */
  static double[] naiveConv(
      double[] x, int c, int h, int w, double[] wt, double[] b, int o, int k, int s, int p) {
    int oh = (h + 2 * p - k) / s + 1;
    int ow = (w + 2 * p - k) / s + 1;
    double[] out = new double[o * oh * ow];
    for (int oc = 0; oc < o; oc++) {
      for (int y = 0; y < oh; y++) {
        for (int xx = 0; xx < ow; xx++) {
          double acc = b[oc];
          for (int ic = 0; ic < c; ic++) {
            for (int ky = 0; ky < k; ky++) {
              for (int kx = 0; kx < k; kx++) {
                int iy = y * s + ky - p;
                int ix = xx * s + kx - p;
                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                  acc += wt[((oc * c + ic) * k + ky) * k + kx] * x[(ic * h + iy) * w + ix];
                }
              }
            }
          }
          out[(oc * oh + y) * ow + xx] = acc;
        }
      }
    }
    return out;
  }

  static double[] rand(SplittableRandom r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextDouble(-1, 1);
    }
    return v;
  }

  @Test
  void convMatchesDefinitionForStridesAndPadding() {
    SplittableRandom r = new SplittableRandom(1);
    for (int[] g :
        new int[][] {
          {3, 7, 7, 4, 3, 1, 1}, {2, 8, 6, 3, 3, 2, 1}, {1, 5, 5, 2, 1, 2, 0}, {4, 9, 9, 2, 5, 1, 2}
        }) {
      int c = g[0], h = g[1], w = g[2], o = g[3], k = g[4], s = g[5], p = g[6];
      double[] x = rand(r, c * h * w);
      double[] wt = rand(r, o * c * k * k);
      double[] b = rand(r, o);
      double[] got = DoubleKernels.conv2d(x, c, h, w, wt, b, o, k, k, s, p);
      assertArrayEquals(naiveConv(x, c, h, w, wt, b, o, k, s, p), got, 1e-12);
    }
  }

  @Test
  void polyKervIsConvThenShiftedPower() {
    SplittableRandom r = new SplittableRandom(2);
    double[] wt = rand(r, 2 * 1 * 3 * 3);
    Conv2d conv = new Conv2d("k", Model.INPUT, 1, 2, 3, 3, 1, 1, wt, new double[] {0.1, -0.2});
    PolyKerv pk = new PolyKerv("k", Model.INPUT, conv, new double[] {0.5, -1.0}, 3);
    Model m = Model.of("t", new int[] {1, 4, 4}, List.of(pk));
    double[] x = rand(r, 16);
    double[] z = naiveConv(x, 1, 4, 4, wt, conv.bias(), 2, 3, 1, 1);
    double[] y = PlainEvaluator.forward(m, x);
    for (int i = 0; i < z.length; i++) {
      double v = z[i] + (i < 16 ? 0.5 : -1.0);
      assertEquals(v * v * v, y[i], 1e-12);
    }
  }

  @Test
  void batchNormFoldIsExactAfterConvAndKeptAfterPolyKerv() {
    SplittableRandom r = new SplittableRandom(3);
    Model.Builder b = Model.builder("fold", 2, 6, 6);
    b.add(new Conv2d("c", Model.INPUT, 2, 3, 3, 3, 1, 1, rand(r, 54), rand(r, 3)));
    b.add(
        new BatchNorm(
            "bn", "c", 3, rand(r, 3), rand(r, 3), rand(r, 3), new double[] {0.5, 2, 1}, 1e-5));
    b.add(
        new PolyKerv(
            "pk",
            "bn",
            new Conv2d("pk", "bn", 3, 2, 1, 1, 1, 0, rand(r, 6), null),
            new double[] {0.3},
            2));
    b.add(
        new BatchNorm(
            "bn2", "pk", 2, rand(r, 2), rand(r, 2), rand(r, 2), new double[] {1, 3}, 1e-5));
    Model m = b.build();
    Model folded = m.foldBatchNorm();
    assertEquals(3, folded.layers().size(), "only the BN after the plain conv folds");
    assertTrue(folded.layers().get(2) instanceof BatchNorm);
    double[] x = rand(r, 72);
    assertArrayEquals(PlainEvaluator.forward(m, x), PlainEvaluator.forward(folded, x), 1e-12);
  }

  @Test
  void badGraphsAreRefusedWithTheLayerName() {
    Model.Builder b = Model.builder("bad", 1, 4, 4);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.linear("fc", 10));
    assertTrue(e.getMessage().contains("fc"), e.getMessage());
    IllegalArgumentException e2 =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Conv2d("c", Model.INPUT, 1, 2, 3, 3, 1, 0, new double[5], null));
    assertTrue(e2.getMessage().contains("'c'") && e2.getMessage().contains("weight"));
    IllegalArgumentException e3 =
        assertThrows(
            IllegalArgumentException.class,
            () -> Model.builder("m", 1, 4, 4).add("a", "input", "nope"));
    assertTrue(e3.getMessage().contains("nope"));
  }
}
