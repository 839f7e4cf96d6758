package org.polyshare.models.train;

import java.util.List;
import org.polyshare.models.graph.Layer;

/**
 * A layer of a {@link TrainableNet}: forward over a minibatch of {@code n} samples laid out as
 * {@code [n][per-sample size]} doubles, and the backward pass that, given {@code dL/dy}, adds the
 * parameter gradients into {@link Param#grad} and returns {@code dL/dx}. Layers cache what backward
 * needs from the last training forward.
 */
abstract class TrainLayer {
  final String name;
  int[] inShape;
  int[] outShape;
  int inSize;
  int outSize;
  Parallel par;

  /** False for the first layer: nobody needs the gradient with respect to the image. */
  boolean needInputGrad = true;

  TrainLayer(String name) {
    this.name = name;
  }

  /** Fixes shapes once the input shape is known; allocate per-worker buffers here. */
  void bind(int[] in, Parallel parallel) {
    this.inShape = in.clone();
    this.outShape = outShape(in);
    this.inSize = size(inShape);
    this.outSize = size(outShape);
    this.par = parallel;
  }

  abstract int[] outShape(int[] in);

  abstract double[] forward(double[] x, int n, boolean training);

  abstract double[] backward(double[] dy, int n);

  List<Param> params() {
    return List.of();
  }

  /** The trained layer in inference form as a graph layer reading {@code input}. */
  abstract Layer toGraph(String input);

  String kind() {
    return getClass().getSimpleName().replace("Train", "");
  }

  static int size(int[] s) {
    int n = 1;
    for (int d : s) {
      n *= d;
    }
    return n;
  }
}
