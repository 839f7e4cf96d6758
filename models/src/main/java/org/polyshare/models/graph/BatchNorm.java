package org.polyshare.models.graph;

import java.util.List;

/**
 * Inference-time batch normalization over channels of a {@code [C, H, W]} (or {@code [C]}) input:
 * {@code y = gamma (x − mean) / sqrt(var + eps) + beta}, i.e. the per-channel affine map {@code y =
 * scale·x + shift}. Architecture only (party 1's, see {@link #shapeOnly}): the four parameter
 * arrays are null and {@code eps} is NaN — all of them are weights.
 */
public record BatchNorm(
    String name,
    String input,
    int channels,
    double[] gamma,
    double[] beta,
    double[] mean,
    double[] var,
    double eps)
    implements SingleInput {
  public static final double DEFAULT_EPS = 1e-5;

  public BatchNorm {
    Check.name(name);
    Check.that(channels > 0, name, "channels must be positive");
    if (!(gamma == null && beta == null && mean == null && var == null)) { // else architecture only
      Check.length(gamma, channels, name, "gamma");
      Check.length(beta, channels, name, "beta");
      Check.length(mean, channels, name, "mean");
      Check.length(var, channels, name, "var");
      Check.that(eps >= 0, name, "eps must be >= 0");
      for (int c = 0; c < channels; c++) {
        Check.that(var[c] + eps > 0, name, "var[%d] + eps must be positive", c);
      }
    }
  }

  /** Identity batch norm (gamma 1, beta 0, mean 0, var 1 − eps). */
  public static BatchNorm identity(String name, String input, int channels) {
    double[] ones = new double[channels];
    double[] var = new double[channels];
    java.util.Arrays.fill(ones, 1);
    java.util.Arrays.fill(var, 1 - DEFAULT_EPS);
    return new BatchNorm(
        name, input, channels, ones, new double[channels], new double[channels], var, DEFAULT_EPS);
  }

  /** Architecture only: the channel count, no parameters. */
  public static BatchNorm shapeOnly(String name, String input, int channels) {
    return new BatchNorm(name, input, channels, null, null, null, null, Double.NaN);
  }

  /** Whether this layer carries its parameters (false: architecture only). */
  public boolean hasWeights() {
    return gamma != null;
  }

  public double[] scale() {
    Check.that(gamma != null, name, "has no parameters (architecture only)");
    double[] s = new double[channels];
    for (int c = 0; c < channels; c++) {
      s[c] = gamma[c] / Math.sqrt(var[c] + eps);
    }
    return s;
  }

  public double[] shift() {
    double[] s = scale();
    double[] t = new double[channels];
    for (int c = 0; c < channels; c++) {
      t[c] = beta[c] - s[c] * mean[c];
    }
    return t;
  }

  @Override
  public int[] outputShape(List<int[]> in) {
    int[] s = Check.one(in, name);
    Check.that(s.length >= 1 && s[0] == channels, name, "expects %d channels on axis 0", channels);
    return s.clone();
  }

  @Override
  public BatchNorm rewire(String newName, String newInput) {
    return new BatchNorm(newName, newInput, channels, gamma, beta, mean, var, eps);
  }
}
