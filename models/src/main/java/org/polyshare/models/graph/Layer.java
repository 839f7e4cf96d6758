package org.polyshare.models.graph;

import java.util.List;

/**
 * One node of a {@link Model}: a name unique in its model, the names of the layers (or {@link
 * Model#INPUT}) it reads, and its parameters as plain {@code double[]} in row-major order.
 *
 * <p>Activations are per-sample tensors without a batch axis: {@code [C, H, W]} for images, {@code
 * [D]} after {@link Flatten} or {@link Linear}. Layers are immutable records; parameter arrays are
 * not copied (the graph owns them), so do not mutate an array after building a layer from it —
 * build a new layer instead (see {@link Model#replace}). Every kind but {@link Add} reads one
 * operand ({@link SingleInput}; the pools also share {@link Pool}).
 */
public sealed interface Layer permits SingleInput, Add {

  /** Unique within the model. */
  String name();

  /** Names of the layers whose outputs this layer reads, in operand order. */
  List<String> inputs();

  /**
   * The output shape for the given input shapes; throws {@link IllegalArgumentException} naming
   * this layer when they do not fit.
   */
  int[] outputShape(List<int[]> inputShapes);

  /** Short type name for reports, e.g. {@code "Conv2d"}. */
  default String kind() {
    return getClass().getSimpleName();
  }

  /** Same layer under a new name reading new inputs (parameters shared). */
  Layer rewire(String newName, List<String> newInputs);
}
