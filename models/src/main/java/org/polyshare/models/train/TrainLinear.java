package org.polyshare.models.train;

import java.util.List;
import java.util.SplittableRandom;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;

/**
 * Fully connected {@code y = W x + b}, {@code W} is {@code [out][in]}; the maths is in {@link
 * Dense}.
 */
final class TrainLinear extends TrainLayer {
  final int in, out;
  final Param weight, bias;
  private double[] x = new double[0];

  TrainLinear(String name, int in, int out) {
    super(name);
    this.in = in;
    this.out = out;
    this.weight = new Param(name + ".weight", new double[in * out], true);
    this.bias = new Param(name + ".bias", new double[out], false);
  }

  void init(SplittableRandom rng) {
    double bound = 1.0 / Math.sqrt(in);
    weight.fillUniform(rng, bound);
    bias.fillUniform(rng, bound);
  }

  @Override
  int[] outShape(int[] s) {
    if (s.length != 1 || s[0] != in) {
      throw new IllegalArgumentException(
          "layer '" + name + "' expects [" + in + "], got " + java.util.Arrays.toString(s));
    }
    return new int[] {out};
  }

  @Override
  double[] forward(double[] xs, int n, boolean training) {
    if (training) {
      x = xs;
    }
    return Dense.forward(par, xs, n, in, out, weight.value, bias.value);
  }

  @Override
  double[] backward(double[] dy, int n) {
    return Dense.backward(par, dy, n, x, in, out, weight, bias, needInputGrad);
  }

  @Override
  List<Param> params() {
    return List.of(weight, bias);
  }

  @Override
  Layer toGraph(String input) {
    return new Linear(name, input, in, out, weight.value.clone(), bias.value.clone());
  }
}
