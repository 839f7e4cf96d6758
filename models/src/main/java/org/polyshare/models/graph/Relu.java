package org.polyshare.models.graph;

import java.util.List;

/** {@code max(x, 0)}; evaluated securely as a garbled circuit. */
public record Relu(String name, String input) implements SingleInput {
  public Relu {
    Check.name(name);
  }

  @Override
  public int[] outputShape(List<int[]> in) {
    return Check.one(in, name).clone();
  }

  @Override
  public Relu rewire(String newName, String newInput) {
    return new Relu(newName, newInput);
  }
}
