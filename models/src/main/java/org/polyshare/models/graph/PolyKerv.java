package org.polyshare.models.graph;

import java.util.List;

/**
 * Polynomial kervolution {@code y = (conv(x) + cp)^dp}: a {@link Conv2d} (its geometry and
 * parameters are {@link #conv()}) followed by adding {@code cp} and raising to the integer power
 * {@code dp ≥ 1}. {@code cp} has one value (shared by all channels) or one per output channel. The
 * conv part's name is this layer's name. Architecture only (party 1's): the conv has no weights and
 * {@code cp} is null.
 */
public record PolyKerv(String name, String input, Conv2d conv, double[] cp, int dp)
    implements SingleInput {
  public static final int DEFAULT_DEGREE = 2;

  public PolyKerv {
    Check.name(name);
    Check.that(conv != null, name, "conv is missing");
    Check.that(dp >= 1, name, "degree dp must be >= 1, got %d", dp);
    if (conv.hasWeights()) {
      Check.that(
          cp != null && (cp.length == 1 || cp.length == conv.outChannels()),
          name,
          "cp must have 1 or %d values, got %s",
          conv.outChannels(),
          cp == null ? "none" : String.valueOf(cp.length));
      Check.finite(cp, name, "cp");
    } else {
      Check.that(
          cp == null, name, "an architecture-only PolyKerv (conv without weights) has no cp");
    }
    conv = conv.rewire(name, input);
  }

  /** Whether this layer carries its parameters (false: architecture only). */
  public boolean hasWeights() {
    return conv.hasWeights();
  }

  /** cp of output channel {@code c}. */
  public double cpOf(int c) {
    return cp.length == 1 ? cp[0] : cp[c];
  }

  @Override
  public int[] outputShape(List<int[]> in) {
    return conv.outputShape(in);
  }

  @Override
  public PolyKerv rewire(String newName, String newInput) {
    return new PolyKerv(newName, newInput, conv, cp, dp);
  }

  public PolyKerv withConv(Conv2d newConv) {
    return new PolyKerv(name, input, newConv, cp, dp);
  }
}
