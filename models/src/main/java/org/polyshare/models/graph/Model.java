package org.polyshare.models.graph;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.polyshare.core.ring.FixedPoint;

/**
 * A feed-forward layer graph: one input named {@link #INPUT} with a per-sample shape (e.g. {@code
 * [3, 32, 32]}), then layers in topological order, each reading earlier layers (or the input) by
 * name. The last layer is the output (logits). Immutable; shapes are inferred and checked at
 * construction, so a {@code Model} that exists is well formed.
 *
 * <p>{@code fracBits} is the fixed-point precision the secure evaluator runs this model at.
 *
 * <p>Build one with {@link #builder}, or directly from a list of layers with {@link #of}.
 */
public final class Model {
  /** The name by which layers refer to the model's input. */
  public static final String INPUT = "input";

  private final String name;
  private final int[] inputShape;
  private final int fracBits;
  private final ImmutableList<Layer> layers;
  private final Map<String, Layer> byName;
  private final Map<String, int[]> shapes;

  private Model(String name, int[] inputShape, int fracBits, List<Layer> layers) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a model needs a name");
    }
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("model '" + name + "' has no layers");
    }
    new FixedPoint(fracBits); // validates the range
    Shapes.checkPositive(inputShape, "input of model '" + name + "'");
    this.name = name;
    this.inputShape = inputShape.clone();
    this.fracBits = fracBits;
    this.layers = ImmutableList.copyOf(layers);
    Map<String, Layer> idx = new HashMap<>();
    Map<String, int[]> sh = new LinkedHashMap<>();
    sh.put(INPUT, this.inputShape);
    for (Layer l : this.layers) {
      if (l.name().equals(INPUT) || idx.containsKey(l.name())) {
        throw new IllegalArgumentException(
            "model '" + name + "': layer name '" + l.name() + "' is used twice");
      }
      List<int[]> in = new ArrayList<>();
      for (String src : l.inputs()) {
        int[] s = sh.get(src);
        if (s == null) {
          throw new IllegalArgumentException(
              "model '"
                  + name
                  + "': layer '"
                  + l.name()
                  + "' reads '"
                  + src
                  + "', which is not an earlier layer");
        }
        in.add(s);
      }
      int[] out = l.outputShape(in);
      Shapes.checkPositive(out, "output of layer '" + l.name() + "'");
      idx.put(l.name(), l);
      sh.put(l.name(), out);
    }
    this.byName = idx;
    this.shapes = sh;
  }

  public static Model of(String name, int[] inputShape, int fracBits, List<Layer> layers) {
    return new Model(name, inputShape, fracBits, layers);
  }

  public static Model of(String name, int[] inputShape, List<Layer> layers) {
    return new Model(name, inputShape, FixedPoint.DEFAULT_FRAC_BITS, layers);
  }

  public static Builder builder(String name, int... inputShape) {
    return new Builder(name, inputShape);
  }

  public String name() {
    return name;
  }

  public int[] inputShape() {
    return inputShape.clone();
  }

  public int inputSize() {
    return size(inputShape);
  }

  public int fracBits() {
    return fracBits;
  }

  public FixedPoint fixedPoint() {
    return new FixedPoint(fracBits);
  }

  /** Layers in evaluation order. */
  public List<Layer> layers() {
    return layers;
  }

  public Layer layer(String layerName) {
    Layer l = byName.get(layerName);
    if (l == null) {
      throw new IllegalArgumentException("model '" + name + "' has no layer '" + layerName + "'");
    }
    return l;
  }

  public boolean has(String layerName) {
    return byName.containsKey(layerName);
  }

  /** Per-sample output shape of a layer (or of {@link #INPUT}). */
  public int[] shape(String layerName) {
    int[] s = shapes.get(layerName);
    if (s == null) {
      throw new IllegalArgumentException("model '" + name + "' has no layer '" + layerName + "'");
    }
    return s.clone();
  }

  public Layer output() {
    return layers.get(layers.size() - 1);
  }

  public int[] outputShape() {
    return shape(output().name());
  }

  public int outputSize() {
    return size(shapes.get(output().name()));
  }

  /** Total number of parameters (weights, biases, cp, BN statistics). */
  public long parameterCount() {
    long n = 0;
    for (Layer l : layers) {
      n += Params.count(l);
    }
    return n;
  }

  /** A copy with {@code layer} replacing the layer of the same name (shapes re-checked). */
  public Model replace(Layer layer) {
    List<Layer> ls = new ArrayList<>(layers);
    for (int i = 0; i < ls.size(); i++) {
      if (ls.get(i).name().equals(layer.name())) {
        ls.set(i, layer);
        return new Model(name, inputShape, fracBits, ls);
      }
    }
    throw new IllegalArgumentException("model '" + name + "' has no layer '" + layer.name() + "'");
  }

  public Model withLayers(List<Layer> newLayers) {
    return new Model(name, inputShape, fracBits, newLayers);
  }

  public Model withName(String newName) {
    return new Model(newName, inputShape, fracBits, layers);
  }

  public Model withFracBits(int f) {
    return new Model(name, inputShape, f, layers);
  }

  /** Layers reading the output of {@code layerName}. */
  public List<Layer> consumers(String layerName) {
    List<Layer> out = new ArrayList<>();
    for (Layer l : layers) {
      if (l.inputs().contains(layerName)) {
        out.add(l);
      }
    }
    return out;
  }

  /**
   * Folds every {@link BatchNorm} whose input is a plain {@link Conv2d} (or {@link Linear}) read by
   * nothing else into that layer's weights and bias — exact, since BN is affine per output channel.
   * A BN after anything else (a PolyKerv's polynomial, an Add, a pool) stays a layer.
   */
  public Model foldBatchNorm() {
    Map<String, Layer> replaced = new HashMap<>();
    Map<String, String> renamed = new HashMap<>();
    List<Layer> kept = new ArrayList<>();
    for (Layer l : layers) {
      if (l instanceof BatchNorm bn
          && byName.get(bn.input()) != null
          && consumers(bn.input()).size() == 1) {
        Layer prev = byName.get(bn.input());
        Layer folded = null;
        if (prev instanceof Conv2d c) {
          folded = Params.foldInto(c, bn);
        } else if (prev instanceof Linear lin) {
          folded = Params.foldInto(lin, bn);
        }
        if (folded != null) {
          replaced.put(prev.name(), folded);
          renamed.put(bn.name(), prev.name());
          continue;
        }
      }
      kept.add(l);
    }
    if (renamed.isEmpty()) {
      return this;
    }
    List<Layer> out = new ArrayList<>();
    for (Layer l : kept) {
      Layer r = replaced.getOrDefault(l.name(), l);
      List<String> ins = new ArrayList<>();
      boolean changed = false;
      for (String s : r.inputs()) {
        String t = renamed.getOrDefault(s, s);
        changed |= !t.equals(s);
        ins.add(t);
      }
      out.add(changed ? r.rewire(r.name(), ins) : r);
    }
    return new Model(name, inputShape, fracBits, out);
  }

  static int size(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  @Override
  public String toString() {
    return "Model("
        + name
        + ", input "
        + Arrays.toString(inputShape)
        + ", "
        + layers.size()
        + " layers)";
  }

  /**
   * Sequential builder: each helper appends a layer reading the previous one (or the given inputs)
   * and tracks the current shape, so channel counts need not be repeated. Parameters start at zero
   * (BatchNorm at identity) unless given; fill them with {@link Model#replace}, an initializer, a
   * trainer or an ONNX import.
   */
  public static final class Builder {
    private final String name;
    private final int[] inputShape;
    private int fracBits = FixedPoint.DEFAULT_FRAC_BITS;
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, int[]> shapes = new HashMap<>();
    private String last = INPUT;

    private Builder(String name, int[] inputShape) {
      this.name = name;
      this.inputShape = inputShape.clone();
      shapes.put(INPUT, this.inputShape);
    }

    public Builder fracBits(int f) {
      this.fracBits = f;
      return this;
    }

    /** Name of the most recently added layer ({@link #INPUT} at first). */
    public String last() {
      return last;
    }

    public int[] shapeOf(String layerName) {
      int[] s = shapes.get(layerName);
      if (s == null) {
        throw new IllegalArgumentException("no layer '" + layerName + "' yet");
      }
      return s.clone();
    }

    /** Appends any layer; it becomes {@link #last()}. */
    public Builder add(Layer l) {
      List<int[]> in = new ArrayList<>();
      for (String s : l.inputs()) {
        int[] sh = shapes.get(s);
        if (sh == null) {
          throw new IllegalArgumentException(
              "layer '" + l.name() + "' reads '" + s + "', which is not an earlier layer");
        }
        in.add(sh);
      }
      if (shapes.containsKey(l.name())) {
        throw new IllegalArgumentException("layer name '" + l.name() + "' is used twice");
      }
      shapes.put(l.name(), l.outputShape(in));
      layers.add(l);
      last = l.name();
      return this;
    }

    public Builder conv(String n, String from, int out, int k, int stride, int pad) {
      int c = shapeOf(from)[0];
      return add(new Conv2d(n, from, c, out, k, k, stride, pad, new double[out * c * k * k], null));
    }

    public Builder conv(String n, int out, int k, int stride, int pad) {
      return conv(n, last, out, k, stride, pad);
    }

    public Builder polyKerv(
        String n, String from, int out, int k, int stride, int pad, double cp, int dp) {
      int c = shapeOf(from)[0];
      Conv2d conv =
          new Conv2d(n, from, c, out, k, k, stride, pad, new double[out * c * k * k], null);
      return add(new PolyKerv(n, from, conv, new double[] {cp}, dp));
    }

    public Builder polyKerv(String n, int out, int k, int stride, int pad, double cp, int dp) {
      return polyKerv(n, last, out, k, stride, pad, cp, dp);
    }

    public Builder linear(String n, int out) {
      int in = shapeOf(last)[0];
      return add(new Linear(n, last, in, out, new double[in * out], null));
    }

    public Builder batchNorm(String n) {
      return add(BatchNorm.identity(n, last, shapeOf(last)[0]));
    }

    public Builder relu(String n) {
      return add(new Relu(n, last));
    }

    public Builder avgPool(String n, int k, int stride) {
      return add(new AvgPool(n, last, k, stride));
    }

    public Builder maxPool(String n, int k, int stride) {
      return add(new MaxPool(n, last, k, stride));
    }

    public Builder globalAvgPool(String n) {
      return add(new GlobalAvgPool(n, last));
    }

    public Builder flatten(String n) {
      return add(new Flatten(n, last));
    }

    public Builder add(String n, String a, String b) {
      return add(new Add(n, a, b));
    }

    public Model build() {
      return new Model(name, inputShape, fracBits, layers);
    }
  }
}
