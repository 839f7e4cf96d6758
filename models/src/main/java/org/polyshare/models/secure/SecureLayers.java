package org.polyshare.models.secure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.polyshare.models.graph.Add;
import org.polyshare.models.graph.AvgPool;
import org.polyshare.models.graph.BatchNorm;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Flatten;
import org.polyshare.models.graph.GlobalAvgPool;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;
import org.polyshare.models.graph.MaxPool;
import org.polyshare.models.graph.PolyAct;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.graph.Relu;

/** The one place that maps a graph layer kind to its {@link SecureLayer}. */
final class SecureLayers {
  private SecureLayers() {}

  /** The lowered program's layers, in evaluation order; a step's index is its weight-mask id. */
  static List<SecureLayer> of(Program program, SecureLayer.Lowering low) {
    return of(program, low, ReluMode.GC);
  }

  /**
   * As {@link #of(Program, SecureLayer.Lowering)} with ReLUs (plain and fused) and max-pools in
   * {@code relu}.
   */
  static List<SecureLayer> of(Program program, SecureLayer.Lowering lowering, ReluMode relu) {
    SecureLayer.Lowering low =
        lowering.carry() != null
            ? lowering
            : lowering.withCarry(CarryPlan.of(program, lowering.mode(), lowering.fusedPolyKerv()));
    List<SecureLayer> out = new ArrayList<>();
    for (int i = 0; i < program.steps.size(); i++) {
      out.add(of(program.steps.get(i), i, low, relu));
    }
    return Collections.unmodifiableList(out);
  }

  private static SecureLayer of(
      Program.Step s, int index, SecureLayer.Lowering low, ReluMode relu) {
    Layer l = s.layer();
    if (l instanceof Conv2d c) {
      return new LinearLayer(s, low, OwnedProduct.conv(index, c, null, s, low), relu);
    } else if (l instanceof Linear lin) {
      return new LinearLayer(s, low, OwnedProduct.linear(index, lin, s, low), relu);
    } else if (l instanceof PolyKerv) {
      return new PolyKervLayer(s, low, index);
    } else if (l instanceof BatchNorm) {
      return new BatchNormLayer(s, low);
    } else if (l instanceof PolyAct) {
      return new PolyActLayer(s, low);
    } else if (l instanceof AvgPool) {
      return new AvgPoolLayer(s, low);
    } else if (l instanceof GlobalAvgPool) {
      return new GlobalAvgPoolLayer(s, low);
    } else if (l instanceof MaxPool) {
      return new MaxPoolLayer(s, low, relu);
    } else if (l instanceof Add) {
      return new AddLayer(s, low);
    } else if (l instanceof Flatten) {
      return new FlattenLayer(s, low);
    } else if (l instanceof Relu) {
      return new ReluLayer(s, low, relu);
    }
    throw new IllegalArgumentException(
        "model '"
            + low.model().name()
            + "': layer '"
            + l.name()
            + "' is a "
            + l.kind()
            + ", which the secure evaluator does not support");
  }
}
