package org.polyshare.models.eval;

import java.util.HashMap;
import java.util.Map;
import org.polyshare.models.graph.Add;
import org.polyshare.models.graph.AvgPool;
import org.polyshare.models.graph.BatchNorm;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Flatten;
import org.polyshare.models.graph.GlobalAvgPool;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;
import org.polyshare.models.graph.MaxPool;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyAct;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.graph.Relu;
import org.polyshare.models.graph.Shapes;
import org.polyshare.models.graph.Softmax;

/**
 * The plaintext reference: evaluates a {@link Model} in double precision, one sample at a time.
 * This is the oracle for the secure evaluator and is itself checked against ONNX Runtime.
 */
public final class PlainEvaluator {
  private PlainEvaluator() {}

  /** Sees every layer's output during a forward pass (calibration, inspection). */
  public interface Observer {
    /**
     * @param convOut for a {@link PolyKerv}, the conv output before {@code (·+cp)^dp}; else null
     */
    void onLayer(Layer layer, double[] output, double[] convOut);
  }

  /** The predicted class of {@code logits}: the index of the largest (the first of equal ones). */
  public static int argmax(double[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Logits of one sample; {@code input} is the per-sample tensor, row-major. */
  public static double[] forward(Model model, double[] input) {
    return forward(model, input, null);
  }

  /** Logits of each sample. */
  public static double[][] forward(Model model, double[][] inputs) {
    double[][] out = new double[inputs.length][];
    for (int i = 0; i < inputs.length; i++) {
      out[i] = forward(model, inputs[i], null);
    }
    return out;
  }

  /** Every layer's output of one sample, by layer name (and {@link Model#INPUT}). */
  public static Map<String, double[]> activations(Model model, double[] input) {
    Map<String, double[]> all = new HashMap<>();
    all.put(Model.INPUT, input);
    forward(model, input, (l, out, conv) -> all.put(l.name(), out));
    return all;
  }

  public static double[] forward(Model model, double[] input, Observer observer) {
    if (input.length != model.inputSize()) {
      throw new IllegalArgumentException(
          "model '"
              + model.name()
              + "' takes "
              + model.inputSize()
              + " input values, got "
              + input.length);
    }
    Map<String, double[]> acts = new HashMap<>();
    Map<String, Integer> remaining = new HashMap<>();
    for (Layer l : model.layers()) {
      for (String s : l.inputs()) {
        remaining.merge(s, 1, Integer::sum);
      }
    }
    acts.put(Model.INPUT, input);
    double[] out = null;
    for (Layer l : model.layers()) {
      double[][] r = evalLayer(model, l, acts);
      out = r[0];
      double[] convOut = r[1];
      if (observer != null) {
        observer.onLayer(l, out, convOut);
      }
      acts.put(l.name(), out);
      for (String s : l.inputs()) {
        if (remaining.merge(s, -1, Integer::sum) == 0) {
          acts.remove(s);
        }
      }
    }
    return out;
  }

  /**
   * One layer on one sample given the outputs of the layers it reads, by name. Returns {@code
   * {output, convOut}} where {@code convOut} is the pre-polynomial conv output of a {@link
   * PolyKerv} and null otherwise.
   */
  public static double[][] evalLayer(Model model, Layer l, Map<String, double[]> acts) {
    int[] in = model.shape(l.inputs().get(0));
    double[] x = acts.get(l.inputs().get(0));
    double[] convOut = null;
    double[] out;
    if (l instanceof Conv2d c) {
      out = conv(c, x, in);
    } else if (l instanceof PolyKerv p) {
      convOut = conv(p.conv(), x, in);
      int[] os = model.shape(l.name());
      out = DoubleKernels.poly(convOut, p.cp(), p.dp(), os[1] * os[2]);
    } else if (l instanceof Linear lin) {
      out = DoubleKernels.linear(x, lin.weight(), lin.bias(), lin.inFeatures(), lin.outFeatures());
    } else if (l instanceof BatchNorm bn) {
      out = DoubleKernels.affine(x, bn.scale(), bn.shift(), Shapes.size(in) / in[0]);
    } else if (l instanceof AvgPool ap) {
      out = DoubleKernels.avgPool(x, in[0], in[1], in[2], ap.window(), ap.countIncludePad());
    } else if (l instanceof MaxPool mp) {
      out = DoubleKernels.maxPool(x, in[0], in[1], in[2], mp.window(), mp.zeroPads());
    } else if (l instanceof PolyAct pa) {
      out = DoubleKernels.polyAct(x, pa, Shapes.size(in) / in[0]);
    } else if (l instanceof Softmax sm) {
      out = sm.apply(x);
    } else if (l instanceof GlobalAvgPool) {
      out = DoubleKernels.globalAvgPool(x, in[0], in[1] * in[2]);
    } else if (l instanceof Add a) {
      double[] y = acts.get(a.right());
      out = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        out[i] = x[i] + y[i];
      }
    } else if (l instanceof Flatten) {
      out = x;
    } else if (l instanceof Relu) {
      out = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        out[i] = Math.max(0, x[i]);
      }
    } else {
      throw new IllegalStateException("unknown layer type " + l.kind());
    }
    return new double[][] {out, convOut};
  }

  private static double[] conv(Conv2d c, double[] x, int[] in) {
    return DoubleKernels.conv2d(
        x,
        in[0],
        in[1],
        in[2],
        c.weight(),
        c.bias(),
        c.outChannels(),
        c.kernelH(),
        c.kernelW(),
        c.stride(),
        c.padding());
  }
}
