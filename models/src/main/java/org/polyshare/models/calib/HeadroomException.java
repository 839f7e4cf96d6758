package org.polyshare.models.calib;

/** A model whose activations would overflow the ring (or come too close) in secure evaluation. */
public final class HeadroomException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final Headroom.LayerHeadroom layer;

  public HeadroomException(String model, Headroom.LayerHeadroom layer, int marginBits) {
    super(
        String.format(
            "model '%s' refused: layer '%s' (%s) reaches max |activation| %.4g on the calibration"
                + " samples, leaving %.1f bits of headroom in Z_2^64 (values at scale 2^%d must stay"
                + " below 2^%d); the safety margin is %d bits. Its activations escape: add BatchNorm,"
                + " recalibrate or rescale the weights, lower dp, or lower the fractional bits.",
            model,
            layer.layer(),
            layer.kind(),
            layer.maxAbs(),
            layer.headroomBits(),
            layer.scaleBits(),
            layer.limitBits(),
            marginBits));
    this.layer = layer;
  }

  public Headroom.LayerHeadroom layer() {
    return layer;
  }
}
