package org.polyshare.models.graph;

import java.util.Arrays;
import java.util.List;

/**
 * Fully connected layer {@code y = W x + b}; {@code weight} is {@code [out][in]}, {@code bias}
 * {@code [out]}. Architecture only (party 1's): {@code weight} and {@code bias} both null.
 */
public record Linear(
    String name, String input, int inFeatures, int outFeatures, double[] weight, double[] bias)
    implements SingleInput {

  public Linear {
    Check.name(name);
    Check.that(inFeatures > 0 && outFeatures > 0, name, "feature counts must be positive");
    if (weight == null) {
      Check.that(
          bias == null, name, "an architecture-only linear layer (no weight) has no bias either");
    } else {
      Check.length(weight, (long) inFeatures * outFeatures, name, "weight");
      if (bias == null) {
        bias = new double[outFeatures];
      }
      Check.length(bias, outFeatures, name, "bias");
    }
  }

  /** Architecture only: same shape, no parameters. */
  public static Linear shapeOnly(String name, String input, int inFeatures, int outFeatures) {
    return new Linear(name, input, inFeatures, outFeatures, null, null);
  }

  /** Whether this layer carries its parameters (false: architecture only). */
  public boolean hasWeights() {
    return weight != null;
  }

  /** Number of weight values, from the shape. */
  public int weightNumel() {
    return inFeatures * outFeatures;
  }

  @Override
  public int[] outputShape(List<int[]> in) {
    int[] s = Check.one(in, name);
    Check.that(
        s.length == 1 && s[0] == inFeatures,
        name,
        "expects a [%d] input, got %s (add a Flatten before it)",
        inFeatures,
        Arrays.toString(s));
    return new int[] {outFeatures};
  }

  @Override
  public Linear rewire(String newName, String newInput) {
    return new Linear(newName, newInput, inFeatures, outFeatures, weight, bias);
  }

  public Linear withParams(double[] newWeight, double[] newBias) {
    return new Linear(name, input, inFeatures, outFeatures, newWeight, newBias);
  }
}
