package org.polyshare.models.train;

import org.polyshare.models.graph.Model;

/**
 * Training stopped because a layer's activations escaped (Sisyphus): they became NaN/∞, or their
 * max |value| left no fixed-point headroom. Names the layer and where in training it happened.
 */
public final class EscapingActivationException extends RuntimeException {
  private final String layer;
  private final int epoch;
  private final int step;
  private final double maxAbs;
  private final double limit;
  private transient Model snapshot;

  EscapingActivationException(
      String layer,
      String kind,
      int epoch,
      int step,
      double maxAbs,
      double limit,
      int fracBits,
      int marginBits,
      String history) {
    super(message(layer, kind, epoch, step, escape(maxAbs, limit, fracBits, marginBits), history));
    this.layer = layer;
    this.epoch = epoch;
    this.step = step;
    this.maxAbs = maxAbs;
    this.limit = limit;
  }

  /** How the activations escaped: NaN, infinity, or past the fixed-point limit by how much. */
  private static String escape(double maxAbs, double limit, int fracBits, int marginBits) {
    return Double.isNaN(maxAbs)
        ? "became NaN"
        : Double.isInfinite(maxAbs)
            ? "overflowed to infinity"
            : String.format(
                "reached max |activation| %.3g, beyond the fixed-point limit %.3g"
                    + " (2^%d at f = %d: %s)",
                maxAbs,
                limit,
                Math.round(Math.log(limit) / Math.log(2)),
                fracBits,
                marginBits == 0
                    ? "no headroom left in Z_2^64"
                    : "less than " + marginBits + " bits of headroom left in Z_2^64");
  }

  private static String message(
      String layer, String kind, int epoch, int step, String what, String history) {
    return String.format(
        "escaping activations: layer '%s' (%s) %s at epoch %d, step %d."
            + " Max |activation| per layer at that step: %s. A polynomial network without"
            + " normalisation grows its activations with depth (Sisyphus); train with BatchNorm inside"
            + " each PolyKerv (the trainer's default; it folds into the conv on export), lower the"
            + " learning rate, or use a shallower model.",
        layer, kind, what, epoch, step, history);
  }

  EscapingActivationException withSnapshot(Model m) {
    this.snapshot = m;
    return this;
  }

  /**
   * The network's weights when training stopped (inference form), for inspection of its headroom;
   * null when none was taken.
   */
  public Model snapshot() {
    return snapshot;
  }

  public String layer() {
    return layer;
  }

  public int epoch() {
    return epoch;
  }

  public int step() {
    return step;
  }

  public double maxAbs() {
    return maxAbs;
  }

  /** The limit it crossed (NaN when the loss itself failed). */
  public double limit() {
    return limit;
  }
}
