package org.polyshare.models.graph;

import java.util.List;

/**
 * A pooling layer over square windows of a {@code [C, H, W]} input: {@code [C, H, W] → [C, H', W']}
 * with {@code H'}, {@code W'} from its {@link PoolWindow}. Average and max pooling differ only in
 * what a window computes.
 */
public sealed interface Pool extends SingleInput permits AvgPool, MaxPool {

  PoolWindow window();

  default int kernel() {
    return window().kernel();
  }

  default int stride() {
    return window().stride();
  }

  @Override
  default int[] outputShape(List<int[]> in) {
    int[] s = Check.chw(in, name());
    return new int[] {s[0], window().outH(s[1], name()), window().outW(s[2], name())};
  }
}
