package org.polyshare.models.graph;

/** Parameter bookkeeping and exact BatchNorm folding. */
public final class Params {
  private Params() {}

  public static long count(Layer l) {
    // From the geometry, so an architecture-only layer counts what its owner holds (a PolyKerv's
    // cp count is a weight detail: counted only where present).
    if (l instanceof Conv2d c) {
      return (long) c.weightNumel() + c.outChannels();
    } else if (l instanceof PolyKerv p) {
      return count(p.conv()) + (p.cp() == null ? 0 : p.cp().length);
    } else if (l instanceof Linear lin) {
      return (long) lin.weightNumel() + lin.outFeatures();
    } else if (l instanceof BatchNorm bn) {
      return 4L * bn.channels();
    }
    return 0;
  }

  /**
   * conv followed by bn as one conv: w' = s·w per output channel, b' = s·b + t. Architecture only
   * (both without parameters): the same conv, so party 1's graph folds exactly as party 0's.
   */
  public static Conv2d foldInto(Conv2d c, BatchNorm bn) {
    if (bn.channels() != c.outChannels()) {
      throw new IllegalArgumentException(
          "cannot fold '" + bn.name() + "' into '" + c.name() + "': channel counts differ");
    }
    if (!c.hasWeights() || !bn.hasWeights()) {
      checkBothShapeOnly(c.hasWeights(), bn.hasWeights(), bn.name(), c.name());
      return c;
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
    if (!lin.hasWeights() || !bn.hasWeights()) {
      checkBothShapeOnly(lin.hasWeights(), bn.hasWeights(), bn.name(), lin.name());
      return lin;
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

  private static void checkBothShapeOnly(boolean layerHas, boolean bnHas, String bn, String layer) {
    if (layerHas != bnHas) {
      throw new IllegalArgumentException("cannot fold '" + bn + "' into '" + layer
          + "': one has parameters and the other is architecture only");
    }
  }
}
