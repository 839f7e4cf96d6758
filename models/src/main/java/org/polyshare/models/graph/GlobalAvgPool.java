package org.polyshare.models.graph;

import java.util.List;

/** Mean over H and W: {@code [C, H, W] → [C, 1, 1]} (as ONNX GlobalAveragePool). */
public record GlobalAvgPool(String name, String input) implements Layer {
  public GlobalAvgPool {
    Check.name(name);
  }

  @Override
  public List<String> inputs() {
    return List.of(input);
  }

  @Override
  public int[] outputShape(List<int[]> in) {
    int[] s = Check.chw(in, name);
    return new int[] {s[0], 1, 1};
  }

  @Override
  public GlobalAvgPool rewire(String newName, List<String> newInputs) {
    return new GlobalAvgPool(newName, newInputs.get(0));
  }
}
