package org.polyshare.models.graph;

import java.util.List;

/**
 * Average pooling over square windows ({@link PoolWindow}: kernel, stride, zero padding, ceil
 * mode; dilation 1). The divisor of each window is the number of its cells inside the padded
 * input when {@code countIncludePad} (PyTorch's default), else the number inside the unpadded
 * input. Without padding and ceil mode every divisor is {@code kernel²}.
 */
public record AvgPool(String name, String input, PoolWindow window, boolean countIncludePad)
    implements Layer {
  public AvgPool {
    Check.name(name);
    Check.that(window != null, name, "window is missing");
    Check.that(window.dilation() == 1, name, "average pooling has no dilation, got %d",
        window.dilation());
  }

  /** The plain pool: no padding, divisor kernel². */
  public AvgPool(String name, String input, int kernel, int stride) {
    this(name, input, PoolWindow.of(kernel, stride), true);
  }

  public int kernel() {
    return window.kernel();
  }

  public int stride() {
    return window.stride();
  }

  /** True when every window's divisor is {@code kernel²} (no padding, no ceil mode). */
  public boolean isPlain() {
    return window.isPlain();
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
  public AvgPool rewire(String newName, List<String> newInputs) {
    return new AvgPool(newName, newInputs.get(0), window, countIncludePad);
  }
}
