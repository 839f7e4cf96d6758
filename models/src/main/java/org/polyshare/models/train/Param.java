package org.polyshare.models.train;

import java.util.SplittableRandom;

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

  /** Fills the value with draws from U(−bound, bound), in index order. */
  void fillUniform(SplittableRandom rng, double bound) {
    for (int i = 0; i < value.length; i++) {
      value[i] = (rng.nextDouble() * 2 - 1) * bound;
    }
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
