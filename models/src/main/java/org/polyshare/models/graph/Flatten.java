package org.polyshare.models.graph;

import java.util.List;

/** Row-major flattening of the per-sample tensor to {@code [D]}. */
public record Flatten(String name, String input) implements SingleInput {
  public Flatten {
    Check.name(name);
  }

  @Override
  public int[] outputShape(List<int[]> in) {
    int[] s = Check.one(in, name);
    int n = 1;
    for (int d : s) {
      n *= d;
    }
    return new int[] {n};
  }

  @Override
  public Flatten rewire(String newName, String newInput) {
    return new Flatten(newName, newInput);
  }
}
