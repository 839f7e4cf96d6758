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
    double[][] wb =
        fold(bn, c.name(), "channel", c.outChannels(), c.hasWeights(), c.weight(), c.bias());
    return wb == null ? c : c.withParams(wb[0], wb[1]);
  }

  /**
   * linear followed by bn (over its features) as one linear; as {@link #foldInto(Conv2d,
   * BatchNorm)}.
   */
  public static Linear foldInto(Linear lin, BatchNorm bn) {
    double[][] wb =
        fold(
            bn,
            lin.name(),
            "feature",
            lin.outFeatures(),
            lin.hasWeights(),
            lin.weight(),
            lin.bias());
    return wb == null ? lin : lin.withParams(wb[0], wb[1]);
  }

  /**
   * {@code {w', b'}} with {@code w'} the weights {@code [rows][per]} scaled by {@code s[row]} and
   * {@code b' = s·b + t}; null when both layers are architecture only (nothing to fold).
   */
  private static double[][] fold(
      BatchNorm bn,
      String layer,
      String what,
      int rows,
      boolean layerHas,
      double[] weight,
      double[] bias) {
    if (bn.channels() != rows) {
      throw new IllegalArgumentException(
          "cannot fold '" + bn.name() + "' into '" + layer + "': " + what + " counts differ");
    }
    if (!layerHas || !bn.hasWeights()) {
      checkBothShapeOnly(layerHas, bn.hasWeights(), bn.name(), layer);
      return null;
    }
    double[] s = bn.scale();
    double[] t = bn.shift();
    int per = weight.length / rows;
    double[] w = weight.clone();
    double[] b = new double[rows];
    for (int o = 0; o < rows; o++) {
      for (int i = 0; i < per; i++) {
        w[o * per + i] *= s[o];
      }
      b[o] = s[o] * bias[o] + t[o];
    }
    return new double[][] {w, b};
  }

  private static void checkBothShapeOnly(boolean layerHas, boolean bnHas, String bn, String layer) {
    if (layerHas != bnHas) {
      throw new IllegalArgumentException(
          "cannot fold '"
              + bn
              + "' into '"
              + layer
              + "': one has parameters and the other is architecture only");
    }
  }
}
