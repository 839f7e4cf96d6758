package org.polyshare.models.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.polyshare.core.ring.FixedPoint;
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
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.graph.Relu;
import org.polyshare.models.onnx.proto.OnnxProto.AttributeProto;
import org.polyshare.models.onnx.proto.OnnxProto.GraphProto;
import org.polyshare.models.onnx.proto.OnnxProto.ModelProto;
import org.polyshare.models.onnx.proto.OnnxProto.NodeProto;
import org.polyshare.models.onnx.proto.OnnxProto.StringStringEntryProto;
import org.polyshare.models.onnx.proto.OnnxProto.TensorProto;
import org.polyshare.models.onnx.proto.OnnxProto.TensorShapeProto;
import org.polyshare.models.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * Reads an ONNX model (NCHW, one image input, batch axis first) into a {@link Model}.
 *
 * <p>Supported ops: Conv, Gemm, MatMul, Add, Mul, Pow, BatchNormalization, AveragePool,
 * GlobalAveragePool, Flatten, Reshape (to {@code [N, -1]}), Relu, MaxPool, Identity, Dropout (both
 * pass-through), and Constant (as a source of constant operands). The PolyKervNet pattern
 * {@code Conv → Add(cp) → Pow(dp)} (or {@code Mul(x, x)} for dp = 2, or {@code Conv → Pow}) becomes
 * one {@link PolyKerv}; an Add of a constant right after a Conv/Gemm/MatMul that is not followed by
 * a power is folded into the bias. Anything else fails with an {@link OnnxFormatException} naming
 * the node and the op.
 */
public final class OnnxImporter {
  public static final Set<String> SUPPORTED_OPS =
      Set.of("Conv", "Gemm", "MatMul", "Add", "Mul", "Pow", "BatchNormalization", "AveragePool",
          "GlobalAveragePool", "Flatten", "Reshape", "Relu", "MaxPool", "Identity", "Dropout",
          "Constant");

  private final Map<String, TensorProto> constants = new HashMap<>();
  /** ONNX value name → name of our layer producing it (or {@link Model#INPUT}). */
  private final Map<String, String> valueToLayer = new HashMap<>();
  private final Map<String, Integer> consumers = new HashMap<>();
  private final List<Layer> layers = new ArrayList<>();
  private final Map<String, int[]> shapes = new HashMap<>();
  private final Set<String> usedNames = new HashSet<>();
  private int anonymous;

  private OnnxImporter() {}

  public static Model read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new OnnxFormatException("ONNX file " + file + " does not exist", e);
    }
    String base = file.getFileName().toString().replaceFirst("\\.onnx$", "");
    return read(bytes, base);
  }

  public static Model read(InputStream in, String fallbackName) throws IOException {
    return read(in.readAllBytes(), fallbackName);
  }

  public static Model read(byte[] bytes, String fallbackName) {
    ModelProto proto;
    try {
      proto = ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new OnnxFormatException(
          "not a valid ONNX model (protobuf parse failed: " + e.getMessage() + ")", e);
    }
    return fromProto(proto, fallbackName);
  }

  public static Model fromProto(ModelProto proto, String fallbackName) {
    if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
      throw new OnnxFormatException("not a valid ONNX model: it has no graph or no nodes");
    }
    return new OnnxImporter().convert(proto, fallbackName);
  }

  private Model convert(ModelProto proto, String fallbackName) {
    GraphProto g = proto.getGraph();
    for (TensorProto t : g.getInitializerList()) {
      constants.put(t.getName(), t);
    }
    ValueInfoProto input = null;
    for (ValueInfoProto v : g.getInputList()) {
      if (!constants.containsKey(v.getName())) {
        if (input != null) {
          throw new OnnxFormatException("the model has more than one input ('" + input.getName()
              + "', '" + v.getName() + "'); PolyShare models take one image tensor");
        }
        input = v;
      }
    }
    if (input == null) {
      throw new OnnxFormatException("the model has no (non-initializer) input");
    }
    int[] inputShape = inputShape(input);
    valueToLayer.put(input.getName(), Model.INPUT);
    shapes.put(Model.INPUT, inputShape);
    usedNames.add(Model.INPUT);
    for (NodeProto n : g.getNodeList()) {
      // count reading nodes, not operand slots: Mul(x, x) reads x once
      for (String in : new HashSet<>(n.getInputList())) {
        consumers.merge(in, 1, Integer::sum);
      }
    }
    for (ValueInfoProto o : g.getOutputList()) {
      consumers.merge(o.getName(), 1, Integer::sum);
    }
    for (NodeProto n : g.getNodeList()) {
      try {
        node(n);
      } catch (OnnxFormatException e) {
        throw e;
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        throw new OnnxFormatException(describe(n) + ": " + e.getMessage(), e);
      }
    }
    // A PolyKerv that never got a power (dp = 1) is a conv with cp folded into its bias.
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof PolyKerv p && p.dp() == 1) {
        layers.set(i, withExtraBias(p.conv(), p.cp()));
      }
    }
    if (g.getOutputCount() != 1) {
      throw new OnnxFormatException("the model must have exactly one output, it has "
          + g.getOutputCount());
    }
    String out = valueToLayer.get(g.getOutput(0).getName());
    if (out == null || layers.isEmpty() || !layers.get(layers.size() - 1).name().equals(out)) {
      throw new OnnxFormatException("the graph output '" + g.getOutput(0).getName()
          + "' is not produced by the last supported node");
    }
    int fracBits = FixedPoint.DEFAULT_FRAC_BITS;
    for (StringStringEntryProto e : proto.getMetadataPropsList()) {
      if (e.getKey().equals(OnnxExporter.FRAC_BITS_KEY)) {
        try {
          fracBits = Integer.parseInt(e.getValue());
        } catch (NumberFormatException ex) {
          throw new OnnxFormatException("metadata " + OnnxExporter.FRAC_BITS_KEY + " is not an"
              + " integer: " + e.getValue());
        }
      }
    }
    String name = g.getName().isEmpty() ? fallbackName : g.getName();
    try {
      return Model.of(name, inputShape, fracBits, layers);
    } catch (IllegalArgumentException e) {
      throw new OnnxFormatException("the imported graph is not valid: " + e.getMessage(), e);
    }
  }

  private static int[] inputShape(ValueInfoProto input) {
    if (!input.hasType() || !input.getType().hasTensorType()
        || !input.getType().getTensorType().hasShape()) {
      throw new OnnxFormatException("input '" + input.getName() + "' has no tensor shape");
    }
    List<TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
    if (dims.size() < 2) {
      throw new OnnxFormatException("input '" + input.getName()
          + "' must have a batch axis and at least one more axis");
    }
    int[] s = new int[dims.size() - 1];
    for (int i = 1; i < dims.size(); i++) {
      TensorShapeProto.Dimension d = dims.get(i);
      if (!d.hasDimValue() || d.getDimValue() <= 0 || d.getDimValue() > Integer.MAX_VALUE) {
        throw new OnnxFormatException("input '" + input.getName() + "' axis " + i
            + " has no fixed size; only the batch axis may be symbolic");
      }
      s[i - 1] = (int) d.getDimValue();
    }
    return s;
  }

  private static String describe(NodeProto n) {
    return "node '" + (n.getName().isEmpty() ? n.getOutputCount() > 0 ? n.getOutput(0) : "?"
        : n.getName()) + "' (op " + n.getOpType() + ")";
  }

  private void node(NodeProto n) {
    String op = n.getOpType();
    if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
      throw new OnnxFormatException(describe(n) + " is from domain '" + n.getDomain()
          + "', which is not supported");
    }
    if (!SUPPORTED_OPS.contains(op)) {
      throw new OnnxFormatException(describe(n) + " is not supported; supported ops: "
          + String.join(", ", new java.util.TreeSet<>(SUPPORTED_OPS)));
    }
    if (n.getOutputCount() < 1) {
      throw new OnnxFormatException(describe(n) + " has no output");
    }
    String out = n.getOutput(0);
    switch (op) {
      case "Constant" -> {
        AttributeProto a = attr(n, "value");
        if (a == null || !a.hasT()) {
          throw new OnnxFormatException(describe(n) + ": only tensor-valued Constant is supported");
        }
        constants.put(out, a.getT().toBuilder().setName(out).build());
      }
      case "Identity", "Dropout" -> alias(n, out, activation(n, 0));
      case "Conv" -> conv(n, out);
      case "Gemm" -> gemm(n, out);
      case "MatMul" -> matmul(n, out);
      case "Add" -> add(n, out);
      case "Mul" -> mul(n, out);
      case "Pow" -> pow(n, out);
      case "BatchNormalization" -> batchNorm(n, out);
      case "AveragePool", "MaxPool" -> pool(n, out, op.equals("MaxPool"));
      case "GlobalAveragePool" -> emit(out, new GlobalAvgPool(name(out), activation(n, 0)));
      case "Flatten" -> {
        long axis = intAttr(n, "axis", 1);
        if (axis != 1) {
          throw new OnnxFormatException(describe(n) + ": only axis = 1 is supported, got " + axis);
        }
        emit(out, new Flatten(name(out), activation(n, 0)));
      }
      case "Reshape" -> reshape(n, out);
      case "Relu" -> emit(out, new Relu(name(out), activation(n, 0)));
      default -> throw new IllegalStateException(op);
    }
  }

  // ---- operands -------------------------------------------------------------------------------

  private boolean isConstant(String value) {
    return constants.containsKey(value);
  }

  private String activation(NodeProto n, int i) {
    if (i >= n.getInputCount()) {
      throw new OnnxFormatException(describe(n) + " lacks input " + i);
    }
    String v = n.getInput(i);
    String layer = valueToLayer.get(v);
    if (layer == null) {
      throw new OnnxFormatException(describe(n) + ": input '" + v + "' is "
          + (isConstant(v) ? "a constant where an activation is expected"
              : "not produced by an earlier node"));
    }
    return layer;
  }

  private TensorProto constant(NodeProto n, int i, String what) {
    if (i >= n.getInputCount() || n.getInput(i).isEmpty()) {
      return null;
    }
    TensorProto t = constants.get(n.getInput(i));
    if (t == null) {
      throw new OnnxFormatException(describe(n) + ": " + what + " '" + n.getInput(i)
          + "' must be an initializer or a Constant");
    }
    return t;
  }

  private double[] values(NodeProto n, int i, String what, long expected) {
    TensorProto t = constant(n, i, what);
    if (t == null) {
      return null;
    }
    double[] v = OnnxTensors.toDoubles(t);
    if (expected >= 0 && v.length != expected) {
      throw new OnnxFormatException(describe(n) + ": " + what + " has " + v.length
          + " values, expected " + expected);
    }
    return v;
  }

  private static AttributeProto attr(NodeProto n, String name) {
    for (AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a;
      }
    }
    return null;
  }

  private static long intAttr(NodeProto n, String name, long dflt) {
    AttributeProto a = attr(n, name);
    return a == null ? dflt : a.getI();
  }

  private static float floatAttr(NodeProto n, String name, float dflt) {
    AttributeProto a = attr(n, name);
    return a == null ? dflt : a.getF();
  }

  private static List<Long> intsAttr(NodeProto n, String name) {
    AttributeProto a = attr(n, name);
    return a == null ? List.of() : a.getIntsList();
  }

  /** One value for both axes (and all pads), or an error naming the attribute. */
  private static int uniform(NodeProto n, String name, List<Long> vs, int dflt) {
    if (vs.isEmpty()) {
      return dflt;
    }
    for (long v : vs) {
      if (v != vs.get(0)) {
        throw new OnnxFormatException(describe(n) + ": " + name + " " + vs
            + " must be equal on all axes");
      }
    }
    return Math.toIntExact(vs.get(0));
  }

  // ---- layers ---------------------------------------------------------------------------------

  private String name(String value) {
    String base = value.isEmpty() ? "layer" + anonymous++ : value;
    String n = base;
    int k = 1;
    while (usedNames.contains(n)) {
      n = base + "_" + k++;
    }
    return n;
  }

  private void emit(String value, Layer l) {
    List<int[]> ins = new ArrayList<>();
    for (String s : l.inputs()) {
      ins.add(shapes.get(s));
    }
    shapes.put(l.name(), l.outputShape(ins));
    layers.add(l);
    usedNames.add(l.name());
    valueToLayer.put(value, l.name());
  }

  private void alias(NodeProto n, String value, String layer) {
    valueToLayer.put(value, layer);
  }

  /** Replaces the last layer (which must be {@code old}) by {@code l}, now producing {@code value}. */
  private void replaceLast(Layer old, Layer l, String value) {
    layers.remove(layers.size() - 1);
    usedNames.remove(old.name());
    shapes.remove(old.name());
    emit(value, l);
  }

  /** The producing layer of the node's input 0 if it is the last layer and read only here. */
  private Layer soleProducer(NodeProto n, int i) {
    String v = n.getInput(i);
    String layer = valueToLayer.get(v);
    if (layer == null || layers.isEmpty() || consumers.getOrDefault(v, 0) != 1) {
      return null;
    }
    Layer last = layers.get(layers.size() - 1);
    return last.name().equals(layer) ? last : null;
  }

  private void conv(NodeProto n, String out) {
    String in = activation(n, 0);
    TensorProto wt = constant(n, 1, "weight");
    if (wt == null || wt.getDimsCount() != 4) {
      throw new OnnxFormatException(describe(n) + ": weight must be a 4-D initializer");
    }
    if (intAttr(n, "group", 1) != 1) {
      throw new OnnxFormatException(describe(n) + ": grouped convolution is not supported");
    }
    for (long d : intsAttr(n, "dilations")) {
      if (d != 1) {
        throw new OnnxFormatException(describe(n) + ": dilation is not supported");
      }
    }
    AttributeProto autoPad = attr(n, "auto_pad");
    if (autoPad != null && !autoPad.getS().toStringUtf8().equals("NOTSET")
        && !autoPad.getS().toStringUtf8().equals("VALID")) {
      throw new OnnxFormatException(describe(n) + ": auto_pad "
          + autoPad.getS().toStringUtf8() + " is not supported; use explicit pads");
    }
    int oc = (int) wt.getDims(0);
    int ic = (int) wt.getDims(1);
    int kh = (int) wt.getDims(2);
    int kw = (int) wt.getDims(3);
    double[] w = OnnxTensors.toDoubles(wt);
    double[] b = values(n, 2, "bias", oc);
    int stride = uniform(n, "strides", intsAttr(n, "strides"), 1);
    int pad = uniform(n, "pads", intsAttr(n, "pads"), 0);
    emit(out, new Conv2d(name(out), in, ic, oc, kh, kw, stride, pad, w, b));
  }

  private void gemm(NodeProto n, String out) {
    String in = activation(n, 0);
    if (intAttr(n, "transA", 0) != 0) {
      throw new OnnxFormatException(describe(n) + ": transA = 1 is not supported");
    }
    TensorProto wt = constant(n, 1, "weight");
    if (wt == null || wt.getDimsCount() != 2) {
      throw new OnnxFormatException(describe(n) + ": B must be a 2-D initializer");
    }
    boolean transB = intAttr(n, "transB", 0) != 0;
    int outF = (int) (transB ? wt.getDims(0) : wt.getDims(1));
    int inF = (int) (transB ? wt.getDims(1) : wt.getDims(0));
    double alpha = floatAttr(n, "alpha", 1f);
    double beta = floatAttr(n, "beta", 1f);
    double[] w = OnnxTensors.toDoubles(wt);
    double[] weight = transB ? scale(w, alpha) : transpose(w, inF, outF, alpha);
    double[] bias = new double[outF];
    double[] c = values(n, 2, "C", -1);
    if (c != null) {
      if (c.length == 1) {
        Arrays.fill(bias, c[0] * beta);
      } else if (c.length == outF) {
        for (int i = 0; i < outF; i++) {
          bias[i] = c[i] * beta;
        }
      } else {
        throw new OnnxFormatException(describe(n) + ": C must have 1 or " + outF + " values");
      }
    }
    emit(out, new Linear(name(out), in, inF, outF, weight, bias));
  }

  private void matmul(NodeProto n, String out) {
    String in = activation(n, 0);
    TensorProto wt = constant(n, 1, "B");
    if (wt == null || wt.getDimsCount() != 2) {
      throw new OnnxFormatException(describe(n) + ": B must be a 2-D initializer");
    }
    int inF = (int) wt.getDims(0);
    int outF = (int) wt.getDims(1);
    emit(out, new Linear(name(out), in, inF, outF,
        transpose(OnnxTensors.toDoubles(wt), inF, outF, 1), null));
  }

  private static double[] scale(double[] w, double a) {
    if (a == 1) {
      return w;
    }
    double[] r = w.clone();
    for (int i = 0; i < r.length; i++) {
      r[i] *= a;
    }
    return r;
  }

  /** [in][out] → [out][in], times a. */
  private static double[] transpose(double[] w, int in, int out, double a) {
    double[] r = new double[w.length];
    for (int i = 0; i < in; i++) {
      for (int o = 0; o < out; o++) {
        r[o * in + i] = a * w[i * out + o];
      }
    }
    return r;
  }

  private void add(NodeProto n, String out) {
    if (n.getInputCount() != 2) {
      throw new OnnxFormatException(describe(n) + " must have 2 inputs");
    }
    boolean c0 = isConstant(n.getInput(0));
    boolean c1 = isConstant(n.getInput(1));
    if (!c0 && !c1) {
      emit(out, new Add(name(out), activation(n, 0), activation(n, 1)));
      return;
    }
    if (c0 && c1) {
      throw new OnnxFormatException(describe(n) + " adds two constants; fold it before export");
    }
    int act = c0 ? 1 : 0;
    TensorProto kt = constants.get(n.getInput(1 - act));
    double[] k = OnnxTensors.toDoubles(kt);
    Layer p = soleProducer(n, act);
    if (p instanceof Conv2d c) {
      double[] cp = channelConstant(n, k, c.outChannels());
      List<Long> d = kt.getDimsList();
      boolean perChannel = k.length == 1
          || (d.size() >= 3 && d.get(d.size() - 1) == 1 && d.get(d.size() - 2) == 1
              && (d.size() == 3 || (d.size() == 4 && d.get(0) == 1)));
      if (!perChannel) {
        throw new OnnxFormatException(describe(n) + ": cp of shape " + d + " does not broadcast"
            + " per channel; use a scalar or shape [C, 1, 1]");
      }
      // Conv → Add(cp): a PolyKerv of degree 1 until a power follows (or a plain bias if not).
      replaceLast(c, new PolyKerv(name(out), c.input(), c, cp, 1), out);
    } else if (p instanceof Linear lin) {
      double[] b = lin.bias().clone();
      double[] kk = channelConstant(n, k, lin.outFeatures());
      for (int i = 0; i < b.length; i++) {
        b[i] += kk.length == 1 ? kk[0] : kk[i];
      }
      replaceLast(lin, new Linear(name(out), lin.input(), lin.inFeatures(), lin.outFeatures(),
          lin.weight(), b), out);
    } else {
      throw new OnnxFormatException(describe(n) + ": adding a constant is supported only right"
          + " after a Conv (the PolyKerv cp) or a Gemm/MatMul (a bias)");
    }
  }

  /** A constant broadcast over channels: one value, or one per channel ([C], [C,1,1], [1,C,1,1]). */
  private static double[] channelConstant(NodeProto n, double[] k, int channels) {
    if (k.length == 1 || k.length == channels) {
      return k;
    }
    throw new OnnxFormatException(describe(n) + ": the constant has " + k.length
        + " values; expected 1 or one per channel (" + channels + ")");
  }

  private void mul(NodeProto n, String out) {
    if (n.getInputCount() == 2 && n.getInput(0).equals(n.getInput(1))
        && !isConstant(n.getInput(0))) {
      power(n, out, 2);
      return;
    }
    throw new OnnxFormatException(describe(n) + ": only Mul(x, x) (a square after a Conv) is"
        + " supported");
  }

  private void pow(NodeProto n, String out) {
    double[] e = values(n, 1, "exponent", 1);
    if (e == null || e[0] != Math.rint(e[0]) || e[0] < 1 || e[0] > 8) {
      throw new OnnxFormatException(describe(n) + ": the exponent must be a constant integer in"
          + " [1, 8]");
    }
    power(n, out, (int) e[0]);
  }

  private void power(NodeProto n, String out, int dp) {
    Layer p = soleProducer(n, 0);
    if (p instanceof PolyKerv pk && pk.dp() == 1) {
      replaceLast(pk, new PolyKerv(name(out), pk.input(), pk.conv(), pk.cp(), dp), out);
    } else if (p instanceof Conv2d c) {
      replaceLast(c, new PolyKerv(name(out), c.input(), c, new double[] {0}, dp), out);
    } else {
      throw new OnnxFormatException(describe(n) + ": a power is supported only as the PolyKerv"
          + " pattern Conv → Add(cp) → Pow(dp) / Mul(x, x), with the conv output read once");
    }
  }

  private void batchNorm(NodeProto n, String out) {
    String in = activation(n, 0);
    int c = shapes.get(in)[0];
    double[] gamma = values(n, 1, "scale", c);
    double[] beta = values(n, 2, "B", c);
    double[] mean = values(n, 3, "mean", c);
    double[] var = values(n, 4, "var", c);
    if (gamma == null || beta == null || mean == null || var == null) {
      throw new OnnxFormatException(describe(n) + " needs scale, B, mean and var initializers");
    }
    double eps = floatAttr(n, "epsilon", 1e-5f);
    emit(out, new BatchNorm(name(out), in, c, gamma, beta, mean, var, eps));
  }

  private void pool(NodeProto n, String out, boolean max) {
    String in = activation(n, 0);
    int k = uniform(n, "kernel_shape", intsAttr(n, "kernel_shape"), -1);
    if (k < 1) {
      throw new OnnxFormatException(describe(n) + " needs kernel_shape");
    }
    int s = uniform(n, "strides", intsAttr(n, "strides"), 1);
    if (uniform(n, "pads", intsAttr(n, "pads"), 0) != 0) {
      throw new OnnxFormatException(describe(n) + ": padded pooling is not supported");
    }
    if (intAttr(n, "ceil_mode", 0) != 0) {
      throw new OnnxFormatException(describe(n) + ": ceil_mode = 1 is not supported");
    }
    emit(out, max ? new MaxPool(name(out), in, k, s) : new AvgPool(name(out), in, k, s));
  }

  private void reshape(NodeProto n, String out) {
    String in = activation(n, 0);
    double[] target = values(n, 1, "shape", -1);
    int numel = 1;
    for (int d : shapes.get(in)) {
      numel *= d;
    }
    boolean flat = target != null && target.length == 2
        && (target[1] == -1 || target[1] == numel)
        && (target[0] == -1 || target[0] == 0 || target[0] >= 1);
    if (!flat) {
      throw new OnnxFormatException(describe(n) + ": only a reshape to [N, -1] (a flatten) is"
          + " supported, got " + Arrays.toString(target));
    }
    emit(out, new Flatten(name(out), in));
  }

  private static Conv2d withExtraBias(Conv2d c, double[] cp) {
    double[] b = c.bias().clone();
    for (int i = 0; i < b.length; i++) {
      b[i] += cp.length == 1 ? cp[0] : cp[i];
    }
    return c.withParams(c.weight(), b);
  }
}
