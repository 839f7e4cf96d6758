package org.polyshare.models.train;

import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Relu;

/** ReLU, for the comparison variants; the mask of positive inputs is kept for backward. */
final class TrainRelu extends TrainLayer {
  private double[] x = new double[0];

  TrainRelu(String name) {
    super(name);
  }

  @Override
  int[] outShape(int[] in) {
    return in.clone();
  }

  @Override
  double[] forward(double[] in, int n, boolean training) {
    if (training) {
      x = in;
    }
    double[] y = new double[n * inSize];
    for (int i = 0; i < y.length; i++) {
      y[i] = in[i] > 0 ? in[i] : 0.0;
    }
    return y;
  }

  @Override
  double[] backward(double[] dy, int n) {
    double[] dx = new double[n * inSize];
    for (int i = 0; i < dx.length; i++) {
      dx[i] = x[i] > 0 ? dy[i] : 0.0;
    }
    return dx;
  }

  @Override
  Layer toGraph(String input) {
    return new Relu(name, input);
  }
}
