package org.polyshare.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The tiled GEMMs (all tile and remainder paths, offsets, leading dimensions) against naive loops;
 * im2col against its definition and col2im as its adjoint.
 */
class KernelsTest {
  private static double[] random(SplittableRandom r, int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextDouble() * 2 - 1;
    }
    return a;
  }

  @Test
  void gemmsMatchTheDefinitionForAllShapes() {
    SplittableRandom r = new SplittableRandom(9);
    int off = 3, pad = 2;
    for (int m = 1; m <= 9; m++) {
      for (int n = 1; n <= 9; n++) {
        for (int k = 1; k <= 6; k++) {
          // A is m×k (NN, NT) or k×m (TN); B is k×n (NN, TN) or n×k (NT); C is m×n; all padded.
          int lda = Math.max(m, k) + pad, ldb = Math.max(n, k) + pad, ldc = n + pad;
          double[] a = random(r, off + Math.max(m, k) * lda);
          double[] b = random(r, off + Math.max(n, k) * ldb);
          double[] c0 = random(r, off + m * ldc);
          double[] nn = c0.clone(), nt = c0.clone(), tn = c0.clone();
          MatView av = new MatView(a, off, lda), bv = new MatView(b, off, ldb);
          Kernels.gemmNN(m, n, k, av, bv, new MatView(nn, off, ldc));
          Kernels.gemmNT(m, n, k, av, bv, new MatView(nt, off, ldc));
          Kernels.gemmTN(m, n, k, av, bv, new MatView(tn, off, ldc));
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              double sNN = c0[off + i * ldc + j], sNT = sNN, sTN = sNN;
              for (int q = 0; q < k; q++) {
                sNN += a[off + i * lda + q] * b[off + q * ldb + j];
                sNT += a[off + i * lda + q] * b[off + j * ldb + q];
                sTN += a[off + q * lda + i] * b[off + q * ldb + j];
              }
              String at = m + "x" + n + "x" + k + " at " + i + "," + j;
              assertEquals(sNN, nn[off + i * ldc + j], 1e-12, "NN " + at);
              assertEquals(sNT, nt[off + i * ldc + j], 1e-12, "NT " + at);
              assertEquals(sTN, tn[off + i * ldc + j], 1e-12, "TN " + at);
            }
            for (int j = n; j < ldc && off + i * ldc + j < c0.length; j++) {
              assertEquals(c0[off + i * ldc + j], nn[off + i * ldc + j], "NN writes outside C");
            }
          }
        }
      }
    }
  }

  @Test
  void im2colMatchesItsDefinitionAndCol2imIsItsAdjoint() {
    SplittableRandom r = new SplittableRandom(11);
    int xo = 2, co = 3;
    for (int[] t : new int[][] {{2, 5, 4, 3, 1, 1}, {1, 6, 7, 3, 2, 1}, {3, 4, 4, 2, 2, 0}}) {
      int c = t[0], h = t[1], w = t[2], k = t[3], stride = t[4], pad = t[5];
      int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1, p = oh * ow;
      ConvWindow g = new ConvWindow(c, h, w, k, stride, pad, oh, ow);
      double[] x = random(r, xo + c * h * w);
      double[] cols = random(r, co + c * k * k * p);
      Kernels.im2col(x, xo, g, cols, co);
      double[] y = random(r, co + c * k * k * p);
      double[] dx = new double[xo + c * h * w];
      Kernels.col2im(y, co, g, dx, xo);
      double lhs = 0;
      for (int ch = 0; ch < c; ch++) {
        for (int ki = 0; ki < k; ki++) {
          for (int kj = 0; kj < k; kj++) {
            for (int oy = 0; oy < oh; oy++) {
              for (int ox = 0; ox < ow; ox++) {
                int iy = oy * stride + ki - pad, ix = ox * stride + kj - pad;
                boolean in = iy >= 0 && iy < h && ix >= 0 && ix < w;
                int q = co + ((ch * k + ki) * k + kj) * p + oy * ow + ox;
                assertEquals(in ? x[xo + (ch * h + iy) * w + ix] : 0.0, cols[q]);
                lhs += cols[q] * y[q];
              }
            }
          }
        }
      }
      // <im2col(x), y> = <x, col2im(y)>
      double rhs = 0;
      for (int i = 0; i < c * h * w; i++) {
        rhs += x[xo + i] * dx[xo + i];
      }
      assertEquals(lhs, rhs, 1e-9);
    }
  }
}
