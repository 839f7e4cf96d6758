package org.polyshare.models.graph;

/**
 * Max pooling over square windows ({@link PoolWindow}: kernel, stride, dilation, padding, ceil
 * mode). Padded cells hold −∞ (ONNX MaxPool's own pads, they never win) or, when {@code zeroPads}
 * (a zero {@code Pad} folded in by the importer), 0. The zoo replaces every max-pool by {@link
 * AvgPool}; the secure evaluator runs one as a garbled max-pool ({@code secure.MaxPoolLayer}).
 */
public record MaxPool(String name, String input, PoolWindow window, boolean zeroPads)
    implements Pool {
  public MaxPool {
    Check.name(name);
    Check.that(window != null, name, "window is missing");
  }

  public MaxPool(String name, String input, int kernel, int stride) {
    this(name, input, PoolWindow.of(kernel, stride), false);
  }

  @Override
  public MaxPool rewire(String newName, String newInput) {
    return new MaxPool(newName, newInput, window, zeroPads);
  }
}
