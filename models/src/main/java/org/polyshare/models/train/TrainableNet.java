package org.polyshare.models.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.polyshare.models.graph.AvgPool;
import org.polyshare.models.graph.BatchNorm;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Flatten;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.graph.Relu;

/**
 * The trainable mirror of a sequential {@link Model}: one {@link TrainLayer} per graph layer, fresh
 * random weights, forward/backward over minibatches, softmax cross-entropy, and export back to a
 * {@link Model} with the trained weights (BatchNorm in inference form, with its running
 * statistics), so the ONNX exporter and the evaluators take it unchanged.
 */
public final class TrainableNet {
  private final Model architecture;
  private final List<TrainLayer> layers = new ArrayList<>();
  private final double[] maxAbs;

  private TrainableNet(Model architecture, boolean polyBatchNorm, Parallel par) {
    this.architecture = architecture;
    int[] shape = architecture.inputShape();
    String prev = Model.INPUT;
    for (Layer l : architecture.layers()) {
      if (l.inputs().size() != 1 || !l.inputs().get(0).equals(prev)) {
        throw new IllegalArgumentException(
            "the trainer handles sequential models only: layer '"
                + l.name()
                + "' of '"
                + architecture.name()
                + "' reads "
                + l.inputs()
                + " instead of just '"
                + prev
                + "'");
      }
      TrainLayer t = mirror(l, polyBatchNorm);
      t.bind(shape, par);
      shape = t.outShape;
      layers.add(t);
      prev = l.name();
    }
    layers.get(0).needInputGrad = false;
    this.maxAbs = new double[layers.size()];
  }

  /**
   * A trainable copy of {@code architecture} with weights drawn from {@code seed}. With {@code
   * polyBatchNorm}, every PolyKerv trains with a BatchNorm between its conv and its polynomial
   * (folded into the conv on export); without, the polynomials compound unchecked.
   */
  public static TrainableNet create(
      Model architecture, boolean polyBatchNorm, long seed, Parallel par) {
    TrainableNet net = new TrainableNet(architecture, polyBatchNorm, par);
    SplittableRandom rng = new SplittableRandom(seed);
    for (TrainLayer t : net.layers) {
      if (t instanceof TrainConv2d c) {
        c.init(rng);
      } else if (t instanceof TrainLinear lin) {
        lin.init(rng);
      }
    }
    return net;
  }

  private static TrainLayer mirror(Layer l, boolean polyBatchNorm) {
    if (l instanceof PolyKerv p) {
      Conv2d c = square(p.conv());
      return new TrainPolyKerv(
          p.name(),
          c.inChannels(),
          c.outChannels(),
          c.kernelH(),
          c.stride(),
          c.padding(),
          p.cp(),
          p.dp(),
          polyBatchNorm);
    } else if (l instanceof Conv2d c) {
      square(c);
      return new TrainConv2d(
          c.name(), c.inChannels(), c.outChannels(), c.kernelH(), c.stride(), c.padding());
    } else if (l instanceof BatchNorm bn) {
      return new TrainBatchNorm(bn.name(), bn.channels(), bn.eps());
    } else if (l instanceof AvgPool a) {
      return new TrainAvgPool(a.name(), a.kernel(), a.stride());
    } else if (l instanceof Flatten f) {
      return new TrainFlatten(f.name());
    } else if (l instanceof Linear lin) {
      return new TrainLinear(lin.name(), lin.inFeatures(), lin.outFeatures());
    } else if (l instanceof Relu r) {
      return new TrainRelu(r.name());
    }
    throw new IllegalArgumentException(
        "the trainer does not support layer '"
            + l.name()
            + "' ("
            + l.kind()
            + "); supported: Conv2d, PolyKerv, BatchNorm, AvgPool, Flatten, Linear, Relu");
  }

  private static Conv2d square(Conv2d c) {
    if (c.kernelH() != c.kernelW()) {
      throw new IllegalArgumentException(
          "the trainer needs square kernels, layer '"
              + c.name()
              + "' is "
              + c.kernelH()
              + "x"
              + c.kernelW());
    }
    return c;
  }

  public Model architecture() {
    return architecture;
  }

  public int inputSize() {
    return layers.get(0).inSize;
  }

  public int classes() {
    return layers.get(layers.size() - 1).outSize;
  }

  /** Logits {@code [n][classes]}; in training mode, caches for backward and records max |y|. */
  public double[] forward(double[] x, int n, boolean training) {
    double[] a = x;
    for (int i = 0; i < layers.size(); i++) {
      a = layers.get(i).forward(a, n, training);
      if (training) {
        maxAbs[i] = maxAbs(a, n * layers.get(i).outSize);
      }
    }
    return a;
  }

  /**
   * Mean softmax cross-entropy of {@code logits} against {@code labels}; writes {@code dL/dlogits}
   * into {@code grad} (if non-null) and the number of correct top-1 predictions into {@code
   * correct[0]}.
   */
  public static double crossEntropy(
      double[] logits, int[] labels, int off, int n, int classes, double[] grad, int[] correct) {
    double loss = 0;
    int ok = 0;
    for (int i = 0; i < n; i++) {
      int o = i * classes;
      double mx = Double.NEGATIVE_INFINITY;
      int arg = 0;
      for (int c = 0; c < classes; c++) {
        if (logits[o + c] > mx) {
          mx = logits[o + c];
          arg = c;
        }
      }
      double s = 0;
      for (int c = 0; c < classes; c++) {
        s += Math.exp(logits[o + c] - mx);
      }
      int y = labels[off + i];
      loss += Math.log(s) - (logits[o + y] - mx);
      if (arg == y) {
        ok++;
      }
      if (grad != null) {
        for (int c = 0; c < classes; c++) {
          grad[o + c] = (Math.exp(logits[o + c] - mx) / s - (c == y ? 1 : 0)) / n;
        }
      }
    }
    if (correct != null) {
      correct[0] = ok;
    }
    return loss / n;
  }

  /** Backpropagates {@code dL/dlogits} through every layer, adding into the parameter grads. */
  public void backward(double[] dLogits, int n) {
    double[] g = dLogits;
    for (int i = layers.size() - 1; i >= 0; i--) {
      g = layers.get(i).backward(g, n);
    }
  }

  public List<Param> params() {
    List<Param> ps = new ArrayList<>();
    for (TrainLayer t : layers) {
      ps.addAll(t.params());
    }
    return ps;
  }

  public void zeroGrad() {
    for (Param p : params()) {
      java.util.Arrays.fill(p.grad, 0);
    }
  }

  /** Max |output| of each layer in the last training forward. */
  public double[] lastMaxAbs() {
    return maxAbs.clone();
  }

  TrainLayer layer(int i) {
    return layers.get(i);
  }

  public String layerName(int i) {
    return layers.get(i).name;
  }

  public String layerKind(int i) {
    return layers.get(i).kind();
  }

  public int layerCount() {
    return layers.size();
  }

  /** The trained network as a graph model (inference form). */
  public Model toModel() {
    List<Layer> out = new ArrayList<>();
    String prev = Model.INPUT;
    for (TrainLayer t : layers) {
      out.add(t.toGraph(prev));
      prev = t.name;
    }
    return architecture.withLayers(out);
  }

  /** Max |a[i]| over {@code len} values; NaN if any value is NaN. */
  static double maxAbs(double[] a, int len) {
    double m = 0;
    for (int i = 0; i < len; i++) {
      double v = Math.abs(a[i]);
      if (!(v <= m)) {
        if (Double.isNaN(v)) {
          return Double.NaN;
        }
        m = v;
      }
    }
    return m;
  }
}
