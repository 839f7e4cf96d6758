package org.polyshare.bench.harness;

import org.polyshare.models.secure.ReluMode;

/**
 * Default warm-up inferences of a secure model by how it evaluates its activations, for {@code
 * bench compare} (per arm) and {@code bench model}; {@code --warmup N} overrides them. The JIT
 * needs several inferences before a median is steady, and a warm-up costs one inference, so the
 * cheap arms warm more.
 *
 * <p>Indicative (2-core VM, load ~7; ResNet-18, both parties in one fresh JVM): the PKN inference
 * JIT-compiles about 3 500 methods in its first inference, 75–170 in the second and third, then
 * 15–90 per inference; its CPU time falls to a steady level from the fifth. The FSS arm is steady
 * from its second inference (AES and DCF loops warm within one). A garbled ReLU inference
 * (ResNet-18: ~36 s at {@code lan}) warms its AES loops within itself.
 */
public final class Warmups {
  /** Polynomial activations (the PKN variant): steady from the 5th inference. */
  public static final int POLYNOMIAL = 5;

  /** FSS ReLU: steady from the 2nd inference; one more as a margin (~3 s an inference). */
  public static final int FSS_RELU = 3;

  /** Garbled-circuit ReLU: one inference warms it, and each costs seconds to minutes. */
  public static final int GC_RELU = 1;

  private Warmups() {}

  /** The default for a model with ReLUs evaluated by {@code relu}. */
  public static int relu(ReluMode relu) {
    return relu == ReluMode.GC ? GC_RELU : FSS_RELU;
  }
}
