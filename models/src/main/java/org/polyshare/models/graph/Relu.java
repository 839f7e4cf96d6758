package org.polyshare.models.graph;

import java.util.List;

/** {@code max(x, 0)}; evaluated securely as a garbled circuit. */
public record Relu(String name, String input) implements Layer {
  public Relu {
    Check.name(name);
  }

  @Override
  public List<String> inputs() {
    return List.of(input);
  }

  @Override
  public int[] outputShape(List<int[]> in) {
    return Check.one(in, name).clone();
  }

  @Override
  public Relu rewire(String newName, List<String> newInputs) {
    return new Relu(newName, newInputs.get(0));
  }
}
