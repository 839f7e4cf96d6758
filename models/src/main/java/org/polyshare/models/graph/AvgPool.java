package org.polyshare.models.graph;

import java.util.List;

/** Average pooling over {@code kernel × kernel} windows, no padding (divisor = kernel²). */
public record AvgPool(String name, String input, int kernel, int stride) implements Layer {
  public AvgPool {
    Check.name(name);
    Check.that(kernel > 0 && stride > 0, name, "kernel and stride must be positive");
  }

  @Override
  public List<String> inputs() {
    return List.of(input);
  }

  @Override
  public int[] outputShape(List<int[]> in) {
    int[] s = Check.chw(in, name);
    return new int[] {
      s[0], Check.window(s[1], kernel, stride, 0, name), Check.window(s[2], kernel, stride, 0, name)
    };
  }

  @Override
  public AvgPool rewire(String newName, List<String> newInputs) {
    return new AvgPool(newName, newInputs.get(0), kernel, stride);
  }
}
