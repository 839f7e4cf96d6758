package org.polyshare.models.eval;

/** Plain double-precision kernels on per-sample row-major arrays (CHW). */
public final class DoubleKernels {
  private DoubleKernels() {}

  /**
   * Cross-correlation with symmetric zero padding: out[o][y][x] = b[o] + Σ w[o][i][ky][kx] ·
   * in[i][y·s + ky − p][x·s + kx − p]. Computed as im2col then a GEMM in axpy form (innermost loop
   * over a contiguous row of output positions, four weight columns per pass), as the ring kernels.
   */
  public static double[] conv2d(double[] in, int c, int h, int w, double[] weight, double[] bias,
      int outC, int kh, int kw, int stride, int pad) {
    int oh = (h + 2 * pad - kh) / stride + 1;
    int ow = (w + 2 * pad - kw) / stride + 1;
    int plane = oh * ow;
    int kk = c * kh * kw;
    double[] cols = new double[kk * plane];
    int row = 0;
    for (int ch = 0; ch < c; ch++) {
      for (int ky = 0; ky < kh; ky++) {
        for (int kx = 0; kx < kw; kx++, row++) {
          int dst = row * plane;
          for (int y = 0; y < oh; y++) {
            int iy = y * stride + ky - pad;
            if (iy < 0 || iy >= h) {
              continue;
            }
            int src = (ch * h + iy) * w;
            int d = dst + y * ow;
            for (int x = 0; x < ow; x++) {
              int ix = x * stride + kx - pad;
              if (ix >= 0 && ix < w) {
                cols[d + x] = in[src + ix];
              }
            }
          }
        }
      }
    }
    double[] out = new double[outC * plane];
    for (int o = 0; o < outC; o++) {
      int ob = o * plane;
      java.util.Arrays.fill(out, ob, ob + plane, bias[o]);
      int wb = o * kk;
      int k = 0;
      for (; k + 3 < kk; k += 4) {
        double w0 = weight[wb + k];
        double w1 = weight[wb + k + 1];
        double w2 = weight[wb + k + 2];
        double w3 = weight[wb + k + 3];
        int c0 = k * plane;
        int c1 = c0 + plane;
        int c2 = c1 + plane;
        int c3 = c2 + plane;
        for (int j = 0; j < plane; j++) {
          out[ob + j] += w0 * cols[c0 + j] + w1 * cols[c1 + j] + w2 * cols[c2 + j]
              + w3 * cols[c3 + j];
        }
      }
      for (; k < kk; k++) {
        double w0 = weight[wb + k];
        int c0 = k * plane;
        for (int j = 0; j < plane; j++) {
          out[ob + j] += w0 * cols[c0 + j];
        }
      }
    }
    return out;
  }

  public static double[] linear(double[] in, double[] weight, double[] bias, int inF, int outF) {
    double[] out = new double[outF];
    for (int o = 0; o < outF; o++) {
      double s = bias[o];
      int base = o * inF;
      for (int i = 0; i < inF; i++) {
        s += weight[base + i] * in[i];
      }
      out[o] = s;
    }
    return out;
  }

  public static double[] avgPool(double[] in, int c, int h, int w, int k, int stride) {
    int oh = (h - k) / stride + 1;
    int ow = (w - k) / stride + 1;
    double[] out = new double[c * oh * ow];
    double inv = 1.0 / (k * k);
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < oh; y++) {
        for (int x = 0; x < ow; x++) {
          double s = 0;
          for (int ky = 0; ky < k; ky++) {
            int row = (ch * h + y * stride + ky) * w + x * stride;
            for (int kx = 0; kx < k; kx++) {
              s += in[row + kx];
            }
          }
          out[(ch * oh + y) * ow + x] = s * inv;
        }
      }
    }
    return out;
  }

  public static double[] maxPool(double[] in, int c, int h, int w, int k, int stride) {
    int oh = (h - k) / stride + 1;
    int ow = (w - k) / stride + 1;
    double[] out = new double[c * oh * ow];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < oh; y++) {
        for (int x = 0; x < ow; x++) {
          double m = Double.NEGATIVE_INFINITY;
          for (int ky = 0; ky < k; ky++) {
            int row = (ch * h + y * stride + ky) * w + x * stride;
            for (int kx = 0; kx < k; kx++) {
              m = Math.max(m, in[row + kx]);
            }
          }
          out[(ch * oh + y) * ow + x] = m;
        }
      }
    }
    return out;
  }

  public static double[] globalAvgPool(double[] in, int c, int hw) {
    double[] out = new double[c];
    for (int ch = 0; ch < c; ch++) {
      double s = 0;
      for (int i = 0; i < hw; i++) {
        s += in[ch * hw + i];
      }
      out[ch] = s / hw;
    }
    return out;
  }

  /** y = scale[c]·x + shift[c], channel = index / per. */
  public static double[] affine(double[] in, double[] scale, double[] shift, int per) {
    double[] out = new double[in.length];
    for (int i = 0; i < in.length; i++) {
      int ch = i / per;
      out[i] = scale[ch] * in[i] + shift[ch];
    }
    return out;
  }

  /** (x + cp[c])^dp per channel. */
  public static double[] poly(double[] in, double[] cp, int dp, int per) {
    double[] out = new double[in.length];
    for (int i = 0; i < in.length; i++) {
      double v = in[i] + (cp.length == 1 ? cp[0] : cp[i / per]);
      double r = v;
      for (int d = 1; d < dp; d++) {
        r *= v;
      }
      out[i] = r;
    }
    return out;
  }
}
