package org.polyshare.models.graph;

/**
 * The stem of the test models that hold every layer kind: conv → BatchNorm → ReLU, a PolyKerv of
 * degree 3 with a coefficient per channel, BatchNorm after it, a residual Add back to the first
 * ReLU and a second ReLU ({@code r2}). Tests append their own pooling and head.
 */
public final class EveryKindStem {
  private EveryKindStem() {}

  /** A {@code [2, 8, 8]} input model named {@code name}, built up to {@code r2}. */
  public static Model.Builder builder(String name) {
    Model.Builder b = Model.builder(name, 2, 8, 8);
    b.conv("c1", 4, 3, 1, 1).batchNorm("bn1").relu("r1");
    b.add(
        new PolyKerv(
            "pk",
            "r1",
            new Conv2d("pk", "r1", 4, 4, 3, 3, 1, 1, new double[144], null),
            new double[] {0.5, 1.0, -0.5, 0.25},
            3));
    b.batchNorm("bn2").add("sum", "bn2", "r1").relu("r2");
    return b;
  }
}
