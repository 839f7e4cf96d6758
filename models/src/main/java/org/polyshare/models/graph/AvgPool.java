package org.polyshare.models.graph;

/**
 * Average pooling over square windows ({@link PoolWindow}: kernel, stride, zero padding, ceil mode;
 * dilation 1). The divisor of each window is the number of its cells inside the padded input when
 * {@code countIncludePad} (PyTorch's default), else the number inside the unpadded input. Without
 * padding and ceil mode every divisor is {@code kernel²}.
 */
public record AvgPool(String name, String input, PoolWindow window, boolean countIncludePad)
    implements Pool {
  public AvgPool {
    Check.name(name);
    Check.that(window != null, name, "window is missing");
    Check.that(
        window.dilation() == 1, name, "average pooling has no dilation, got %d", window.dilation());
  }

  /** The plain pool: no padding, divisor kernel². */
  public AvgPool(String name, String input, int kernel, int stride) {
    this(name, input, PoolWindow.of(kernel, stride), true);
  }

  /** True when every window's divisor is {@code kernel²} (no padding, no ceil mode). */
  public boolean isPlain() {
    return window.isPlain();
  }

  @Override
  public AvgPool rewire(String newName, String newInput) {
    return new AvgPool(newName, newInput, window, countIncludePad);
  }
}
