package org.polyshare.models.eval;

import org.polyshare.models.graph.PolyAct;
import org.polyshare.models.graph.PoolWindow;

/** Plain double-precision kernels on per-sample row-major arrays (CHW). */
public final class DoubleKernels {
  private DoubleKernels() {}

  /**
   * Cross-correlation with symmetric zero padding: out[o][y][x] = b[o] + Σ w[o][i][ky][kx] ·
   * in[i][y·s + ky − p][x·s + kx − p]. Computed as im2col then a GEMM in axpy form (innermost loop
   * over a contiguous row of output positions, four weight columns per pass), as the ring kernels.
   */
  public static double[] conv2d(
      double[] in,
      int c,
      int h,
      int w,
      double[] weight,
      double[] bias,
      int outC,
      int kh,
      int kw,
      int stride,
      int pad) {
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
          out[ob + j] +=
              w0 * cols[c0 + j] + w1 * cols[c1 + j] + w2 * cols[c2 + j] + w3 * cols[c3 + j];
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
    return avgPool(in, c, h, w, PoolWindow.of(k, stride), true);
  }

  /**
   * Average pool with zero padding: each window sums the input cells it covers and divides by its
   * cell count inside the padded input ({@code countIncludePad}) or inside the input itself.
   */
  public static double[] avgPool(
      double[] in, int c, int h, int w, PoolWindow pw, boolean countIncludePad) {
    return pool(in, c, h, w, pw, false, countIncludePad);
  }

  public static double[] maxPool(double[] in, int c, int h, int w, int k, int stride) {
    return maxPool(in, c, h, w, PoolWindow.of(k, stride), false);
  }

  /** Max pool; padded cells hold 0 when {@code zeroPads}, else they never win. */
  public static double[] maxPool(
      double[] in, int c, int h, int w, PoolWindow pw, boolean zeroPads) {
    return pool(in, c, h, w, pw, true, zeroPads);
  }

  /** For max, {@code countIncludePad} means padded cells are zeros that take part. */
  private static double[] pool(
      double[] in, int c, int h, int w, PoolWindow pw, boolean max, boolean countIncludePad) {
    int oh = pw.outH(h, "pool");
    int ow = pw.outW(w, "pool");
    int k = pw.kernel();
    int s = pw.stride();
    int d = pw.dilation();
    int[] pads = pw.pads();
    int padH = h + pads[2];
    int padW = w + pads[3];
    double[] out = new double[c * oh * ow];
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < oh; y++) {
        int y0 = y * s - pads[0];
        for (int x = 0; x < ow; x++) {
          int x0 = x * s - pads[1];
          double acc = max ? Double.NEGATIVE_INFINITY : 0;
          int inside = 0;
          int padded = 0;
          for (int ky = 0; ky < k; ky++) {
            int iy = y0 + ky * d;
            if (iy >= padH) {
              break; // ceil mode: past the end padding
            }
            for (int kx = 0; kx < k; kx++) {
              int ix = x0 + kx * d;
              if (ix >= padW) {
                break;
              }
              padded++;
              if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                double v = in[(ch * h + iy) * w + ix];
                acc = max ? Math.max(acc, v) : acc + v;
                inside++;
              } else if (max && countIncludePad) {
                acc = Math.max(acc, 0);
              }
            }
          }
          out[(ch * oh + y) * ow + x] = max ? acc : acc / (countIncludePad ? padded : inside);
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

  /** outScale[c]·(scale[c]·x + shift[c])^degree, channel = index / per. */
  public static double[] polyAct(double[] in, PolyAct p, int per) {
    double[] out = new double[in.length];
    for (int i = 0; i < in.length; i++) {
      int ch = i / per;
      double v = p.scaleOf(ch) * in[i] + p.shiftOf(ch);
      double r = v;
      for (int d = 1; d < p.degree(); d++) {
        r *= v;
      }
      out[i] = p.outScaleOf(ch) * r;
    }
    return out;
  }
}
