package org.polyshare.models.train;

/**
 * The inner loops of training over {@code double[]} with explicit offsets: im2col / col2im, axpy
 * and dot. Written so HotSpot's superword pass vectorises the axpy loops (contiguous, no aliasing
 * doubt) and the dot products keep four independent accumulators.
 */
final class Kernels {
  private Kernels() {}

  /**
   * Unfolds one {@code [c, h, w]} sample at {@code x[xo..]} into {@code cols[(c·k+i)·k+j][p]},
   * {@code p = oy·ow+ox}, zero outside the padded border.
   */
  static void im2col(double[] x, int xo, ConvWindow g, double[] cols, int co) {
    unfold(x, xo, g, cols, co, false);
  }

  /**
   * Adjoint of {@link #im2col}: accumulates {@code cols} back into the sample at {@code dx[xo..]}.
   */
  static void col2im(double[] cols, int co, ConvWindow g, double[] dx, int xo) {
    unfold(dx, xo, g, cols, co, true);
  }

  /**
   * The index map of both: {@code cols[row(ch,ki,kj) + oy·ow + ox] ~ x[(ch·h + iy)·w + ix]} with
   * {@code iy = oy·stride + ki − pad}, {@code ix = ox·stride + kj − pad}. Forward copies (zero off
   * the border); the adjoint adds back (off-border entries dropped). {@code adjoint} is constant
   * over the call, so the JIT unswitches the branch out of the inner loops.
   */
  private static void unfold(
      double[] x, int xo, ConvWindow g, double[] cols, int co, boolean adjoint) {
    int c = g.c(), h = g.h(), w = g.w(), k = g.k(), stride = g.stride(), pad = g.pad();
    int oh = g.oh(), ow = g.ow(), p = oh * ow;
    for (int ch = 0; ch < c; ch++) {
      for (int ki = 0; ki < k; ki++) {
        for (int kj = 0; kj < k; kj++) {
          int row = co + ((ch * k + ki) * k + kj) * p;
          for (int oy = 0; oy < oh; oy++) {
            int iy = oy * stride + ki - pad;
            int col = row + oy * ow;
            if (iy < 0 || iy >= h) {
              if (!adjoint) {
                java.util.Arrays.fill(cols, col, col + ow, 0.0);
              }
              continue;
            }
            int img = xo + (ch * h + iy) * w;
            if (adjoint) {
              for (int ox = 0; ox < ow; ox++) {
                int ix = ox * stride + kj - pad;
                if (ix >= 0 && ix < w) {
                  x[img + ix] += cols[col + ox];
                }
              }
            } else {
              for (int ox = 0; ox < ow; ox++) {
                int ix = ox * stride + kj - pad;
                cols[col + ox] = (ix >= 0 && ix < w) ? x[img + ix] : 0.0;
              }
            }
          }
        }
      }
    }
  }

  /** {@code y[yo..yo+n) += a · x[xo..xo+n)}. */
  static void axpy(int n, double a, double[] x, int xo, double[] y, int yo) {
    for (int i = 0; i < n; i++) {
      y[yo + i] += a * x[xo + i];
    }
  }

  /** Dot product of {@code a[ao..ao+n)} and {@code b[bo..bo+n)}. */
  static double dot(int n, double[] a, int ao, double[] b, int bo) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += a[ao + i] * b[bo + i];
      s1 += a[ao + i + 1] * b[bo + i + 1];
      s2 += a[ao + i + 2] * b[bo + i + 2];
      s3 += a[ao + i + 3] * b[bo + i + 3];
    }
    for (; i < n; i++) {
      s0 += a[ao + i] * b[bo + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * {@code out[m][p] = bias[m] + Σ_k w[m][k] · cols[k][p]} for one sample: {@code w} is {@code
   * [mRows][kDim]}, {@code cols} is {@code [kDim][p]}.
   */
  static void gemmForward(
      int mRows,
      int kDim,
      int p,
      double[] w,
      double[] bias,
      double[] cols,
      int co,
      double[] out,
      int oo) {
    for (int m = 0; m < mRows; m++) {
      java.util.Arrays.fill(out, oo + m * p, oo + (m + 1) * p, bias[m]);
    }
    gemmNN(
        mRows, p, kDim, new MatView(w, 0, kDim), new MatView(cols, co, p), new MatView(out, oo, p));
  }

  // The three GEMM shapes of training, C += op(A)·op(B) over row-major double[] with offsets and
  // leading dimensions. Each computes a 4×4 tile of C in 16 scalar accumulators: 8 loads feed 16
  // multiply-adds, where a plain axpy/dot pays one load (or more) per multiply-add.

  /** {@code C[m][n] += Σ_k A[m][k] · B[k][n]}. */
  static void gemmNN(int mDim, int nDim, int kDim, MatView a, MatView b, MatView c) {
    gemmStridedA(mDim, nDim, kDim, a.v(), a.off(), a.ld(), 1, b, c);
  }

  /** {@code C[m][n] += Σ_k A[k][m] · B[k][n]}. */
  static void gemmTN(int mDim, int nDim, int kDim, MatView a, MatView b, MatView c) {
    gemmStridedA(mDim, nDim, kDim, a.v(), a.off(), 1, a.ld(), b, c);
  }

  /**
   * {@code C[m][n] += Σ_k A(m, k) · B[k][n]} with {@code A(m, k) = a[ao + m·am + k·ak]}, so one 4x4
   * register tile serves both A and Aᵀ. The summation order per output is fixed (k ascending in the
   * tile, then the axpy remainder), which keeps training bit-reproducible.
   */
  private static void gemmStridedA(
      int mDim, int nDim, int kDim, double[] a, int ao, int am, int ak, MatView bv, MatView cv) {
    double[] b = bv.v(), c = cv.v();
    int bo = bv.off(), ldb = bv.ld(), co = cv.off(), ldc = cv.ld();
    int m = 0;
    for (; m + 3 < mDim; m += 4) {
      int n = 0;
      for (; n + 3 < nDim; n += 4) {
        tile(kDim, a, ao + m * am, am, ak, b, bo + n, ldb, 1, c, co + m * ldc + n, ldc);
      }
      for (; n < nDim; n++) {
        for (int mm = m; mm < m + 4; mm++) {
          double s = 0;
          for (int k = 0; k < kDim; k++) {
            s += a[ao + mm * am + k * ak] * b[bo + k * ldb + n];
          }
          c[co + mm * ldc + n] += s;
        }
      }
    }
    for (; m < mDim; m++) {
      for (int k = 0; k < kDim; k++) {
        double x = a[ao + m * am + k * ak];
        if (x != 0.0) {
          axpy(nDim, x, b, bo + k * ldb, c, co + m * ldc);
        }
      }
    }
  }

  /** {@code C[m][n] += Σ_k A[m][k] · B[n][k]}. */
  static void gemmNT(int mDim, int nDim, int kDim, MatView av, MatView bv, MatView cv) {
    double[] a = av.v(), b = bv.v(), c = cv.v();
    int ao = av.off(), lda = av.ld(), bo = bv.off(), ldb = bv.ld(), co = cv.off(), ldc = cv.ld();
    int m = 0;
    for (; m + 3 < mDim; m += 4) {
      int n = 0;
      for (; n + 3 < nDim; n += 4) {
        tile(kDim, a, ao + m * lda, lda, 1, b, bo + n * ldb, 1, ldb, c, co + m * ldc + n, ldc);
      }
      for (; n < nDim; n++) {
        for (int mm = m; mm < m + 4; mm++) {
          c[co + mm * ldc + n] += dot(kDim, a, ao + mm * lda, b, bo + n * ldb);
        }
      }
    }
    for (; m < mDim; m++) {
      for (int n = 0; n < nDim; n++) {
        c[co + m * ldc + n] += dot(kDim, a, ao + m * lda, b, bo + n * ldb);
      }
    }
  }

  /**
   * One 4×4 tile {@code C[r + i·ldc + j] += Σ_k A(i, k) · B(k, j)}, i, j < 4, with {@code A(i, k) =
   * a[a0 + i·am + k·ak]} and {@code B(k, j) = b[b0 + k·bk + j·bn]}: the strides make it serve
   * {@code A·B}, {@code Aᵀ·B} and {@code A·Bᵀ}. Each output sums over k ascending.
   */
  private static void tile(
      int kDim,
      double[] a,
      int a0,
      int am,
      int ak,
      double[] b,
      int b0,
      int bk,
      int bn,
      double[] c,
      int r,
      int ldc) {
    double c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
    double c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
    for (int k = 0, ai = a0, bi = b0; k < kDim; k++, ai += ak, bi += bk) {
      double y0 = b[bi], y1 = b[bi + bn], y2 = b[bi + 2 * bn], y3 = b[bi + 3 * bn];
      double x0 = a[ai], x1 = a[ai + am], x2 = a[ai + 2 * am], x3 = a[ai + 3 * am];
      c00 += x0 * y0;
      c01 += x0 * y1;
      c02 += x0 * y2;
      c03 += x0 * y3;
      c10 += x1 * y0;
      c11 += x1 * y1;
      c12 += x1 * y2;
      c13 += x1 * y3;
      c20 += x2 * y0;
      c21 += x2 * y1;
      c22 += x2 * y2;
      c23 += x2 * y3;
      c30 += x3 * y0;
      c31 += x3 * y1;
      c32 += x3 * y2;
      c33 += x3 * y3;
    }
    c[r] += c00;
    c[r + 1] += c01;
    c[r + 2] += c02;
    c[r + 3] += c03;
    r += ldc;
    c[r] += c10;
    c[r + 1] += c11;
    c[r + 2] += c12;
    c[r + 3] += c13;
    r += ldc;
    c[r] += c20;
    c[r + 1] += c21;
    c[r + 2] += c22;
    c[r + 3] += c23;
    r += ldc;
    c[r] += c30;
    c[r + 1] += c31;
    c[r + 2] += c32;
    c[r + 3] += c33;
  }
}
