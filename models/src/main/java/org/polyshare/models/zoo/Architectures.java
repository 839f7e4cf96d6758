package org.polyshare.models.zoo;

import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyKerv;

/** The zoo's architectures (zero weights); see {@link Zoo}. */
public final class Architectures {
  private Architectures() {}

  private static final int DP = PolyKerv.DEFAULT_DEGREE;

  /**
   * conv + activation: one PolyKerv (pkn) or Conv2d → BatchNorm → Relu (relu). The PKN variant's
   * BatchNorm is folded into the PolyKerv's conv by calibration.
   */
  private static void convAct(
      Model.Builder b, boolean pkn, String n, String from, int out, int k, int stride, int pad) {
    if (pkn) {
      b.polyKerv(n, from, out, k, stride, pad, Zoo.CP, DP);
    } else {
      b.conv(n, from, out, k, stride, pad).batchNorm(n + "_bn").relu(n + "_relu");
    }
  }

  /** Fully-connected + activation, as a 1×1 conv over a [C, 1, 1] tensor. */
  public static Model lenet5(boolean pkn) {
    Model.Builder b = Model.builder("lenet5-" + (pkn ? "pkn" : "relu"), 1, 28, 28);
    convAct(b, pkn, "c1", b.last(), 6, 5, 1, 2);
    b.avgPool("s2", 2, 2);
    convAct(b, pkn, "c3", b.last(), 16, 5, 1, 0);
    b.avgPool("s4", 2, 2);
    convAct(b, pkn, "c5", b.last(), 120, 5, 1, 0);
    convAct(b, pkn, "f6", b.last(), 84, 1, 1, 0);
    b.flatten("flatten").linear("fc", 10);
    return b.build();
  }

  public static Model tiny(boolean pkn) {
    Model.Builder b = Model.builder("tiny-" + (pkn ? "pkn" : "relu"), 1, 8, 8);
    convAct(b, pkn, "c1", b.last(), 4, 3, 1, 1);
    b.avgPool("pool", 2, 2);
    b.flatten("flatten").linear("fc", 10);
    return b.build();
  }

  /** VGG-16 for CIFAR: 13 conv3×3 layers, five 2×2 pools (average), one classifier layer. */
  public static Model vgg16(boolean pkn) {
    int[] cfg = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};
    Model.Builder b = Model.builder("vgg16-" + (pkn ? "pkn" : "relu"), 3, 32, 32);
    int conv = 0;
    int pool = 0;
    for (int c : cfg) {
      if (c == 0) {
        b.avgPool("pool" + (++pool), 2, 2);
      } else {
        convAct(b, pkn, "conv" + (++conv), b.last(), c, 3, 1, 1);
      }
    }
    b.flatten("flatten").linear("fc", 10);
    return b.build();
  }

  /**
   * ResNet-18 for CIFAR (3×3 stem, no max-pool, stages of 2 basic blocks at 64/128/256/512
   * channels). Basic block: convAct → conv → BN, plus the shortcut (1×1 conv + BN when the shape
   * changes), added; the ReLU variant applies ReLU after the add, the PKN variant has no activation
   * there (no conv directly precedes it), its next PolyKerv is the non-linearity.
   */
  public static Model resnet18(boolean pkn) {
    Model.Builder b = Model.builder("resnet18-" + (pkn ? "pkn" : "relu"), 3, 32, 32);
    convAct(b, pkn, "stem", b.last(), 64, 3, 1, 1);
    int in = 64;
    int[] widths = {64, 128, 256, 512};
    for (int s = 0; s < 4; s++) {
      for (int blk = 0; blk < 2; blk++) {
        int stride = (s > 0 && blk == 0) ? 2 : 1;
        int out = widths[s];
        String p = "l" + (s + 1) + "b" + blk + "_";
        String x = b.last();
        convAct(b, pkn, p + "conv1", x, out, 3, stride, 1);
        b.conv(p + "conv2", out, 3, 1, 1).batchNorm(p + "bn2");
        String main = b.last();
        String shortcut = x;
        if (stride != 1 || in != out) {
          b.conv(p + "down", x, out, 1, stride, 0).batchNorm(p + "down_bn");
          shortcut = b.last();
        }
        b.add(p + "add", main, shortcut);
        if (!pkn) {
          b.relu(p + "relu");
        }
        in = out;
      }
    }
    b.globalAvgPool("gap").flatten("flatten").linear("fc", 10);
    return b.build();
  }
}
