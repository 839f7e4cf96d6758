package org.polyshare.models.secure;

import java.util.List;
import org.polyshare.core.ring.FixedPoint;
import org.polyshare.models.graph.Model;

/**
 * The plaintext int64 forward: the model in fixed point over Z_2^64 through the same {@link
 * SecureLayer}s as the secure evaluator ({@link SecureLayer#ring}: same kernels, fusions and
 * truncation points, each truncation an exact arithmetic shift). It is the baseline of {@code bench
 * model} (what a party would pay to run the model alone) and a tight second oracle: the secure
 * result differs from it by the protocols' one-ulp truncation errors only.
 */
public final class RingForward {
  private final Program program;
  private final FixedPoint fp;
  private final List<SecureLayer> layers;

  /** The int64 forward of the default lowering ({@link SecureOptions#defaults}). */
  public RingForward(Model model, int batch) {
    this(model, batch, SecureOptions.defaults());
  }

  /**
   * The int64 forward with the truncation points of {@code options}: its PolyKerv lowering ({@link
   * CarryPlan}: chain, fused or carried) and so its truncation mode's support for fusing.
   */
  public RingForward(Model model, int batch, SecureOptions options) {
    this.program = Program.of(model);
    this.fp = program.model.fixedPoint();
    this.layers =
        SecureLayers.of(
            program,
            new SecureLayer.Lowering(
                program.model, batch, fp, options.truncation(), options.fusedPolyKerv()),
            options.relu());
  }

  public Model model() {
    return program.model;
  }

  /**
   * Outputs of {@code batch} inputs (each the per-sample tensor), decoded; a final softmax applied.
   */
  public double[][] forward(double[][] inputs) {
    return outputs(
        forwardRing(Encoding.encodeBatch(fp, inputs, program.model.inputSize())), inputs.length);
  }

  /**
   * The ring forward on an encoded batch {@code [batch, ...input]}; the logits, before a softmax.
   */
  public long[] forwardRing(long[] input) {
    LiveTensors live = new LiveTensors(layers, input);
    long[] out = input;
    for (SecureLayer l : layers) {
      out = l.ring(live.inputs(l));
      live.put(l, out);
    }
    return out;
  }

  /**
   * {@link #forwardRing}'s result decoded per sample, with a final softmax applied as party 1 does.
   */
  public double[][] outputs(long[] ring, int batch) {
    return program.outputs(Encoding.decodeBatch(fp, ring, batch));
  }
}
