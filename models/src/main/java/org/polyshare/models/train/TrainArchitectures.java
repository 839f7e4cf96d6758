package org.polyshare.models.train;

import java.util.List;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.zoo.Zoo;

/**
 * Architectures the trainer knows besides the {@link Zoo}'s: {@code mnist-deep-pkn}, six stacked
 * PolyKervs (degree 2^6 = 64 in the input) on MNIST, the network that shows escaping activations
 * when trained without BatchNorm and trains fine with it.
 */
public final class TrainArchitectures {
  private TrainArchitectures() {}

  public static final String DEEP_PKN = "mnist-deep-pkn";

  public static List<String> names() {
    return List.of(DEEP_PKN);
  }

  /** The named architecture: one of {@link #names()}, else a zoo architecture. */
  public static Model architecture(String name) {
    if (name.equals(DEEP_PKN)) {
      return deepPkn();
    }
    return Zoo.architecture(name);
  }

  static Model deepPkn() {
    int dp = PolyKerv.DEFAULT_DEGREE;
    return Model.builder(DEEP_PKN, 1, 28, 28)
        .polyKerv("pk1", 8, 3, 1, 1, Zoo.CP, dp)
        .polyKerv("pk2", 8, 3, 1, 1, Zoo.CP, dp)
        .avgPool("pool1", 2, 2)
        .polyKerv("pk3", 16, 3, 1, 1, Zoo.CP, dp)
        .polyKerv("pk4", 16, 3, 1, 1, Zoo.CP, dp)
        .avgPool("pool2", 2, 2)
        .polyKerv("pk5", 32, 3, 1, 0, Zoo.CP, dp)
        .polyKerv("pk6", 32, 3, 1, 0, Zoo.CP, dp)
        .flatten("flatten")
        .linear("fc", 10)
        .build();
  }
}
