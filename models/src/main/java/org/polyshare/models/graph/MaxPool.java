package org.polyshare.models.graph;

import java.util.List;

/**
 * Max pooling over square windows ({@link PoolWindow}: kernel, stride, dilation, padding, ceil
 * mode). Padded cells hold −∞ (ONNX MaxPool's own pads, they never win) or, when
 * {@code zeroPads} (a zero {@code Pad} folded in by the importer), 0. The zoo replaces every max-pool by {@link AvgPool};
 * the secure evaluator runs one as a garbled max-pool ({@code secure.MaxPoolLayer}).
 */
public record MaxPool(String name, String input, PoolWindow window, boolean zeroPads)
    implements Layer {
  public MaxPool {
    Check.name(name);
    Check.that(window != null, name, "window is missing");
  }

  public MaxPool(String name, String input, int kernel, int stride) {
    this(name, input, PoolWindow.of(kernel, stride), false);
  }

  public int kernel() {
    return window.kernel();
  }

  public int stride() {
    return window.stride();
  }

  @Override
  public List<String> inputs() {
    return List.of(input);
  }

  @Override
  public int[] outputShape(List<int[]> in) {
    int[] s = Check.chw(in, name);
    return new int[] {s[0], window.outH(s[1], name), window.outW(s[2], name)};
  }

  @Override
  public MaxPool rewire(String newName, List<String> newInputs) {
    return new MaxPool(newName, newInputs.get(0), window, zeroPads);
  }
}
