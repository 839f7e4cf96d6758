package org.polyshare.models.graph;

import java.util.List;

/** Mean over H and W: {@code [C, H, W] → [C, 1, 1]} (as ONNX GlobalAveragePool). */
public record GlobalAvgPool(String name, String input) implements SingleInput {
  public GlobalAvgPool {
    Check.name(name);
  }

  @Override
  public int[] outputShape(List<int[]> in) {
    int[] s = Check.chw(in, name);
    return new int[] {s[0], 1, 1};
  }

  @Override
  public GlobalAvgPool rewire(String newName, String newInput) {
    return new GlobalAvgPool(newName, newInput);
  }
}
