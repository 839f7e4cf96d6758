package org.polyshare.models.train;

import org.polyshare.models.graph.Flatten;
import org.polyshare.models.graph.Layer;

/** Row-major flatten: the data layout does not change, only the shape. */
final class TrainFlatten extends TrainLayer {
  TrainFlatten(String name) {
    super(name);
  }

  @Override
  int[] outShape(int[] in) {
    return new int[] {size(in)};
  }

  @Override
  double[] forward(double[] x, int n, boolean training) {
    return x;
  }

  @Override
  double[] backward(double[] dy, int n) {
    return dy;
  }

  @Override
  Layer toGraph(String input) {
    return new Flatten(name, input);
  }
}
