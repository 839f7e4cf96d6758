package org.polyshare.models.secure;

import java.util.ArrayList;
import java.util.List;
import org.polyshare.models.graph.BatchNorm;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.Relu;
import org.polyshare.models.graph.Shapes;
import org.polyshare.models.graph.Softmax;

/**
 * A model lowered for ring evaluation: BatchNorm folded where exact, every ReLU that is the sole
 * reader of a Conv2d/Linear fused into it (the garbled circuit takes the 2f-bit product and does
 * the truncation as free wiring), and a final softmax split off as the {@link #head}. Shared by the
 * secure evaluator and the int64 plaintext forward so both compute the same thing.
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

  /** A final (log-)softmax, which party 1 applies in the clear after the reveal; or null. */
  final Softmax head;

  private Program(Model model, List<Step> steps, Softmax head) {
    this.model = model;
    this.steps = steps;
    this.head = head;
  }

  /** The model's outputs from the revealed logits: the head applied per sample, if any. */
  double[][] outputs(double[][] logits) {
    if (head != null) {
      for (int b = 0; b < logits.length; b++) {
        logits[b] = head.apply(logits[b]);
      }
    }
    return logits;
  }

  static Program of(Model original) {
    Model m = original.foldBatchNorm();
    List<Step> steps = new ArrayList<>();
    List<Layer> ls = m.layers();
    Softmax head = null;
    for (int i = 0; i < ls.size(); i++) {
      Layer l = ls.get(i);
      if (l instanceof Softmax sm) {
        if (i == 0 || i + 1 != ls.size() || !sm.input().equals(ls.get(i - 1).name())) {
          throw new IllegalArgumentException(
              "model '"
                  + m.name()
                  + "': softmax '"
                  + l.name()
                  + "' must be the last layer and read the one before it: party 1 applies it in the"
                  + " clear to the revealed logits");
        }
        head = sm;
        break;
      }
      if (l instanceof BatchNorm bn
          && !(m.shape(bn.input()).length == 3 || m.shape(bn.input()).length == 1)) {
        throw new IllegalArgumentException("layer '" + l.name() + "': unsupported input rank");
      }
      Relu fused = null;
      if ((l instanceof Conv2d || l instanceof Linear)
          && i + 1 < ls.size()
          && ls.get(i + 1) instanceof Relu r
          && r.input().equals(l.name())
          && m.consumers(l.name()).size() == 1) {
        fused = r;
        i++;
      }
      steps.add(new Step(l, fused, m.shape(l.inputs().get(0)), m.shape(l.name())));
    }
    return new Program(m, steps, head);
  }
}
