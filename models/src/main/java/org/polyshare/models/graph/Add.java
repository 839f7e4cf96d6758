package org.polyshare.models.graph;

import java.util.Arrays;
import java.util.List;

/** Elementwise sum of two equally shaped activations (residual connection). */
public record Add(String name, String left, String right) implements Layer {
  public Add {
    Check.name(name);
  }

  @Override
  public List<String> inputs() {
    return List.of(left, right);
  }

  @Override
  public int[] outputShape(List<int[]> in) {
    Check.that(in.size() == 2, name, "expects 2 inputs, got %d", in.size());
    Check.that(
        Arrays.equals(in.get(0), in.get(1)),
        name,
        "operand shapes differ: %s vs %s",
        Arrays.toString(in.get(0)),
        Arrays.toString(in.get(1)));
    return in.get(0).clone();
  }

  @Override
  public Add rewire(String newName, List<String> newInputs) {
    return new Add(newName, newInputs.get(0), newInputs.get(1));
  }
}
