package org.polyshare.models.eval;

/** Plain double-precision kernels on per-sample row-major arrays (CHW). */
public final class DoubleKernels {
  private DoubleKernels() {}

  /**
   * Cross-correlation with symmetric zero padding: out[o][y][x] = b[o] + Σ w[o][i][ky][kx] ·
   * in[i][y·s + ky − p][x·s + kx − p]. Loop order keeps the innermost loop over contiguous x.
   */
  public static double[] conv2d(double[] in, int c, int h, int w, double[] weight, double[] bias,
      int outC, int kh, int kw, int stride, int pad) {
    int oh = (h + 2 * pad - kh) / stride + 1;
    int ow = (w + 2 * pad - kw) / stride + 1;
    double[] out = new double[outC * oh * ow];
    for (int o = 0; o < outC; o++) {
      int ob = o * oh * ow;
      java.util.Arrays.fill(out, ob, ob + oh * ow, bias[o]);
      for (int i = 0; i < c; i++) {
        int ib = i * h * w;
        for (int ky = 0; ky < kh; ky++) {
          for (int kx = 0; kx < kw; kx++) {
            double wv = weight[((o * c + i) * kh + ky) * kw + kx];
            if (wv == 0) {
              continue;
            }
            // x range with the input column inside [0, w)
            int x0 = Math.max(0, ceilDiv(pad - kx, stride));
            int x1 = Math.min(ow, ceilDiv(w + pad - kx, stride));
            for (int y = 0; y < oh; y++) {
              int iy = y * stride + ky - pad;
              if (iy < 0 || iy >= h) {
                continue;
              }
              int orow = ob + y * ow;
              int irow = ib + iy * w + kx - pad;
              for (int x = x0; x < x1; x++) {
                out[orow + x] += wv * in[irow + x * stride];
              }
            }
          }
        }
      }
    }
    return out;
  }

  static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
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
