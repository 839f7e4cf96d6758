package org.polyshare.models.secure;

import java.util.ArrayList;
import java.util.List;
import org.polyshare.models.graph.AvgPool;
import org.polyshare.models.graph.BatchNorm;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;
import org.polyshare.models.graph.MaxPool;
import org.polyshare.models.graph.PolyAct;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.Relu;
import org.polyshare.models.graph.Shapes;
import org.polyshare.models.graph.Softmax;

/**
 * A model lowered for ring evaluation: BatchNorm folded where exact, and every ReLU that is the
 * sole reader of a Conv2d/Linear fused into it (the garbled circuit takes the 2f-bit product and
 * does the truncation as free wiring). Shared by the secure evaluator and the int64 plaintext
 * forward so both compute the same thing.
 */
final class Program {
  /** One evaluation step: a layer, and for a Conv2d/Linear whether its ReLU is fused. */
  record Step(Layer layer, Relu fusedRelu, int[] inShape, int[] outShape) {
    String outputName() {
      return fusedRelu != null ? fusedRelu.name() : layer.name();
    }

    int outNumel() {
      return Shapes.size(outShape);
    }
  }

  final Model model;
  final List<Step> steps;

  private Program(Model model, List<Step> steps) {
    this.model = model;
    this.steps = steps;
  }

  static Program of(Model original) {
    Model m = original.foldBatchNorm();
    List<Step> steps = new ArrayList<>();
    List<Layer> ls = m.layers();
    for (int i = 0; i < ls.size(); i++) {
      Layer l = ls.get(i);
      if (l instanceof MaxPool) {
        throw new IllegalArgumentException("model '" + m.name() + "': layer '" + l.name()
            + "' is a MaxPool, which the secure evaluator does not support; use AvgPool");
      }
      if (l instanceof PolyAct || l instanceof Softmax
          || (l instanceof AvgPool ap && !ap.isPlain())) {
        throw new IllegalArgumentException("model '" + m.name() + "': layer '" + l.name()
            + "' is a " + (l instanceof AvgPool ? "padded or ceil-mode AvgPool" : l.kind())
            + ", which the secure evaluator does not support yet");
      }
      if (l instanceof BatchNorm bn && !(m.shape(bn.input()).length == 3
          || m.shape(bn.input()).length == 1)) {
        throw new IllegalArgumentException("layer '" + l.name() + "': unsupported input rank");
      }
      Relu fused = null;
      if ((l instanceof Conv2d || l instanceof Linear) && i + 1 < ls.size()
          && ls.get(i + 1) instanceof Relu r && r.input().equals(l.name())
          && m.consumers(l.name()).size() == 1) {
        fused = r;
        i++;
      }
      steps.add(new Step(l, fused, m.shape(l.inputs().get(0)), m.shape(l.name())));
    }
    return new Program(m, steps);
  }
}
