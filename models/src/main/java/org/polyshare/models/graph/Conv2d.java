package org.polyshare.models.graph;

import java.util.List;

/**
 * 2-D convolution (cross-correlation, as in PyTorch and ONNX), symmetric zero padding, equal stride
 * on both axes, one group. {@code weight} is {@code [out][in][kh][kw]}, {@code bias} is {@code
 * [out]} (zeros when the layer has none).
 *
 * <p>An <em>architecture-only</em> conv (party 1's, built from an {@link
 * org.polyshare.models.arch.Architecture}) has {@code weight} and {@code bias} both null: the
 * geometry is public, the parameters are absent — not zeroed.
 */
public record Conv2d(
    String name,
    String input,
    int inChannels,
    int outChannels,
    int kernelH,
    int kernelW,
    int stride,
    int padding,
    double[] weight,
    double[] bias)
    implements SingleInput {

  public Conv2d {
    Check.name(name);
    Check.that(inChannels > 0 && outChannels > 0, name, "channel counts must be positive");
    Check.that(kernelH > 0 && kernelW > 0, name, "kernel must be positive");
    Check.that(stride > 0, name, "stride must be positive, got %d", stride);
    Check.that(padding >= 0, name, "padding must be >= 0, got %d", padding);
    if (weight == null) {
      Check.that(bias == null, name, "an architecture-only conv (no weight) has no bias either");
    } else {
      Check.length(weight, (long) outChannels * inChannels * kernelH * kernelW, name, "weight");
      if (bias == null) {
        bias = new double[outChannels];
      }
      Check.length(bias, outChannels, name, "bias");
    }
  }

  /** Architecture only: this geometry under another name and input, no parameters. */
  public Conv2d shapeOnly(String newName, String newInput) {
    return new Conv2d(
        newName, newInput, inChannels, outChannels, kernelH, kernelW, stride, padding, null, null);
  }

  /** Whether this layer carries its parameters (false: architecture only). */
  public boolean hasWeights() {
    return weight != null;
  }

  /** Number of weight values, from the geometry (whether or not they are present). */
  public int weightNumel() {
    return outChannels * inChannels * kernelH * kernelW;
  }

  @Override
  public int[] outputShape(List<int[]> in) {
    int[] s = Check.chw(in, name);
    Check.that(s[0] == inChannels, name, "expects %d input channels, got %d", inChannels, s[0]);
    return new int[] {
      outChannels,
      Check.window(s[1], kernelH, stride, padding, name),
      Check.window(s[2], kernelW, stride, padding, name)
    };
  }

  @Override
  public Conv2d rewire(String newName, String newInput) {
    return copy(newName, newInput, weight, bias);
  }

  /** Same geometry, new parameters. */
  public Conv2d withParams(double[] newWeight, double[] newBias) {
    return copy(name, input, newWeight, newBias);
  }

  private Conv2d copy(String name, String input, double[] weight, double[] bias) {
    return new Conv2d(
        name, input, inChannels, outChannels, kernelH, kernelW, stride, padding, weight, bias);
  }
}
