package org.polyshare.models.graph;

import java.util.List;

/**
 * A final softmax (or log-softmax) over the logits vector. It is not evaluated under MPC: the
 * secure run reveals the logits to party 1, which applies this layer in the clear. Hence it must be
 * the model's last layer and read a {@code [D]} vector.
 */
public record Softmax(String name, String input, boolean log) implements SingleInput {
  public Softmax {
    Check.name(name);
  }

  @Override
  public int[] outputShape(List<int[]> in) {
    int[] s = Check.one(in, name);
    Check.that(s.length == 1, name, "softmax reads a [D] logits vector, got rank %d", s.length);
    return s.clone();
  }

  @Override
  public Softmax rewire(String newName, String newInput) {
    return new Softmax(newName, newInput, log);
  }

  /** Applies the (log-)softmax to one logits vector, stably (max subtracted first). */
  public double[] apply(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : logits) {
      sum += Math.exp(v - max);
    }
    double logSum = Math.log(sum);
    double[] out = new double[logits.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = log ? logits[i] - max - logSum : Math.exp(logits[i] - max - logSum);
    }
    return out;
  }
}
