package org.polyshare.models.graph;

import java.util.List;

/**
 * A layer that reads exactly one other layer's output (or {@link Model#INPUT}): everything but
 * {@link Add}. Its operand list and its rewiring follow from {@link #input()}.
 */
public sealed interface SingleInput extends Layer
    permits Conv2d,
        Linear,
        PolyKerv,
        PolyAct,
        BatchNorm,
        Pool,
        GlobalAvgPool,
        Flatten,
        Relu,
        Softmax {

  /** Name of the layer whose output this layer reads. */
  String input();

  @Override
  default List<String> inputs() {
    return List.of(input());
  }

  /** Same layer under a new name reading {@code newInput} (parameters shared). */
  SingleInput rewire(String newName, String newInput);

  @Override
  default SingleInput rewire(String newName, List<String> newInputs) {
    return rewire(newName, newInputs.get(0));
  }
}
