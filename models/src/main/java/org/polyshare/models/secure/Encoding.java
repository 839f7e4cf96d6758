package org.polyshare.models.secure;

import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.ring.FixedPoint;
import org.polyshare.models.graph.Conv2d;

/** Fixed-point encodings and layout helpers shared by the ring evaluators. */
final class Encoding {
  private Encoding() {}

  /** Bias (plus cp, if given) encoded at 2f fractional bits, to add to a raw product. */
  static long[] bias2f(FixedPoint fp, double[] bias, double[] cp) {
    long[] out = new long[bias.length];
    double scale = Math.scalb(1.0, 2 * fp.fracBits());
    for (int i = 0; i < bias.length; i++) {
      double v = bias[i] + (cp == null ? 0 : cp.length == 1 ? cp[0] : cp[i]);
      double s = v * scale;
      if (!(Math.abs(s) < Math.scalb(1.0, 62))) {
        throw new IllegalArgumentException(
            "bias "
                + v
                + " does not fit the ring at 2f = "
                + 2 * fp.fracBits()
                + " fractional bits");
      }
      out[i] = Math.round(s);
    }
    return out;
  }

  static double[] transpose(double[] w, int rows, int cols) {
    double[] t = new double[w.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = w[r * cols + c];
      }
    }
    return t;
  }

  static Conv2dShape convShape(Conv2d c, int[] in, int batch) {
    return new Conv2dShape(
        batch,
        in[0],
        in[1],
        in[2],
        c.outChannels(),
        c.kernelH(),
        c.kernelW(),
        c.stride(),
        c.padding());
  }

  /** Elements per channel of a per-sample shape ([C,H,W] → H·W, [D] → 1). */
  static int spatial(int[] shape) {
    int n = 1;
    for (int i = 1; i < shape.length; i++) {
      n *= shape[i];
    }
    return n;
  }

  /** z[b][c][p] += v[c] over a batch layout, channel = (i / per) mod C. */
  static void addPerChannel(long[] z, long[] v, int per) {
    int c = v.length;
    int block = c * per;
    for (int base = 0; base < z.length; base += block) {
      for (int ch = 0; ch < c; ch++) {
        long add = v[ch];
        int o = base + ch * per;
        for (int j = 0; j < per; j++) {
          z[o + j] += add;
        }
      }
    }
  }

  static long[] encodeBatch(FixedPoint fp, double[][] inputs, int size) {
    long[] x = new long[inputs.length * size];
    for (int b = 0; b < inputs.length; b++) {
      if (inputs[b].length != size) {
        throw new IllegalArgumentException(
            "input " + b + " has " + inputs[b].length + " values, the model takes " + size);
      }
      System.arraycopy(fp.encode(inputs[b]), 0, x, b * size, size);
    }
    return x;
  }

  static double[][] decodeBatch(FixedPoint fp, long[] y, int batch) {
    int per = y.length / batch;
    double[][] out = new double[batch][per];
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < per; j++) {
        out[b][j] = fp.decode(y[b * per + j]);
      }
    }
    return out;
  }

  /**
   * A per-channel (or, with one value, per-tensor) parameter spread over a batch layout of {@code
   * n} elements: element {@code i} gets {@code v[(i / per) mod C]}.
   */
  static long[] perElement(long[] v, int per, int n) {
    long[] out = new long[n];
    if (v.length == 1) {
      java.util.Arrays.fill(out, v[0]);
      return out;
    }
    for (int i = 0; i < n; i++) {
      out[i] = v[(i / per) % v.length];
    }
    return out;
  }
}
