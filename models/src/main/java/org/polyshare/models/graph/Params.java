package org.polyshare.models.graph;

/** Parameter bookkeeping and exact BatchNorm folding. */
public final class Params {
  private Params() {}

  public static long count(Layer l) {
    if (l instanceof Conv2d c) {
      return c.weight().length + c.bias().length;
    } else if (l instanceof PolyKerv p) {
      return count(p.conv()) + p.cp().length;
    } else if (l instanceof Linear lin) {
      return lin.weight().length + lin.bias().length;
    } else if (l instanceof BatchNorm bn) {
      return 4L * bn.channels();
    }
    return 0;
  }

  /** conv followed by bn as one conv: w' = s·w per output channel, b' = s·b + t. */
  public static Conv2d foldInto(Conv2d c, BatchNorm bn) {
    if (bn.channels() != c.outChannels()) {
      throw new IllegalArgumentException(
          "cannot fold '" + bn.name() + "' into '" + c.name() + "': channel counts differ");
    }
    double[] s = bn.scale();
    double[] t = bn.shift();
    int per = c.inChannels() * c.kernelH() * c.kernelW();
    double[] w = c.weight().clone();
    double[] b = new double[c.outChannels()];
    for (int o = 0; o < c.outChannels(); o++) {
      for (int i = 0; i < per; i++) {
        w[o * per + i] *= s[o];
      }
      b[o] = s[o] * c.bias()[o] + t[o];
    }
    return c.withParams(w, b);
  }

  public static Linear foldInto(Linear lin, BatchNorm bn) {
    if (bn.channels() != lin.outFeatures()) {
      throw new IllegalArgumentException(
          "cannot fold '" + bn.name() + "' into '" + lin.name() + "': feature counts differ");
    }
    double[] s = bn.scale();
    double[] t = bn.shift();
    double[] w = lin.weight().clone();
    double[] b = new double[lin.outFeatures()];
    for (int o = 0; o < lin.outFeatures(); o++) {
      for (int i = 0; i < lin.inFeatures(); i++) {
        w[o * lin.inFeatures() + i] *= s[o];
      }
      b[o] = s[o] * lin.bias()[o] + t[o];
    }
    return lin.withParams(w, b);
  }
}
