package org.polyshare.models.train;

/** A trainable tensor: its values, the gradient of the loss, and the optimizer's moment buffers. */
public final class Param {
  final String name;
  final double[] value;
  final double[] grad;
  double[] m;
  double[] v;
  /** Weight decay applies to weights only, never to biases, BN parameters or cp. */
  final boolean decay;

  Param(String name, double[] value, boolean decay) {
    this.name = name;
    this.value = value;
    this.grad = new double[value.length];
    this.decay = decay;
  }

  public String name() {
    return name;
  }

  public double[] value() {
    return value;
  }

  public double[] grad() {
    return grad;
  }
}
