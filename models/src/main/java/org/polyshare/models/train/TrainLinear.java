package org.polyshare.models.train;

import java.util.List;
import java.util.SplittableRandom;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;

/**
 * Fully connected {@code y = W x + b}, {@code W} is {@code [out][in]}. Backward:
 * {@code dW = dYᵀ X} (split over output rows, so no reduction between workers) and
 * {@code dX = dY W} (split over samples).
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
    for (int i = 0; i < weight.value.length; i++) {
      weight.value[i] = (rng.nextDouble() * 2 - 1) * bound;
    }
    for (int i = 0; i < out; i++) {
      bias.value[i] = (rng.nextDouble() * 2 - 1) * bound;
    }
  }

  @Override
  int[] outShape(int[] s) {
    if (s.length != 1 || s[0] != in) {
      throw new IllegalArgumentException("layer '" + name + "' expects [" + in + "], got "
          + java.util.Arrays.toString(s));
    }
    return new int[] {out};
  }

  @Override
  double[] forward(double[] xs, int n, boolean training) {
    if (training) {
      x = xs;
    }
    double[] y = new double[n * out];
    double[] w = weight.value, b = bias.value;
    par.forRange(n, (lo, hi, worker) -> {
      for (int i = lo; i < hi; i++) {
        System.arraycopy(b, 0, y, i * out, out);
      }
      Kernels.gemmNT(hi - lo, out, in, xs, lo * in, in, w, 0, in, y, lo * out, out);
    });
    return y;
  }

  @Override
  double[] backward(double[] dy, int n) {
    double[] gw = weight.grad, gb = bias.grad, w = weight.value;
    par.forRange(out, (lo, hi, worker) -> {
      for (int o = lo; o < hi; o++) {
        for (int i = 0; i < n; i++) {
          gb[o] += dy[i * out + o];
        }
      }
      Kernels.gemmTN(hi - lo, in, n, dy, lo, out, x, 0, in, gw, lo * in, in);
    });
    if (!needInputGrad) {
      return null;
    }
    double[] dx = new double[n * in];
    par.forRange(n, (lo, hi, worker) -> {
      Kernels.gemmNN(hi - lo, in, out, dy, lo * out, out, w, 0, in, dx, lo * in, in);
    });
    return dx;
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
