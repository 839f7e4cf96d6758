package org.polyshare.models.onnx;

import static org.polyshare.models.onnx.OnnxAttributes.attr;
import static org.polyshare.models.onnx.OnnxAttributes.intAttr;

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
import org.polyshare.models.graph.PolyAct;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.graph.PoolWindow;
import org.polyshare.models.graph.Relu;
import org.polyshare.models.graph.Softmax;
import org.polyshare.models.onnx.ConstantFolder.Tensor;
import org.polyshare.models.onnx.proto.OnnxProto.AttributeProto;
import org.polyshare.models.onnx.proto.OnnxProto.GraphProto;
import org.polyshare.models.onnx.proto.OnnxProto.ModelProto;
import org.polyshare.models.onnx.proto.OnnxProto.NodeProto;
import org.polyshare.models.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.polyshare.models.onnx.proto.OnnxProto.StringStringEntryProto;
import org.polyshare.models.onnx.proto.OnnxProto.TensorProto;
import org.polyshare.models.onnx.proto.OnnxProto.TensorShapeProto;
import org.polyshare.models.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * Reads an ONNX model (NCHW, one image input, batch axis first) into a {@link Model}.
 *
 * <p>Supported ops: Conv, Gemm, MatMul, Add, Sub, Mul, Div, Pow, BatchNormalization, AveragePool,
 * MaxPool (with pads, auto_pad, ceil_mode, count_include_pad, dilations), GlobalAveragePool,
 * Flatten, Reshape (to {@code [N, -1]}), Relu, Pad (constant zero, folded into the next Conv or
 * pool), Identity and Dropout (pass-through, on activations and constants), Constant, a final
 * Softmax/LogSoftmax (applied by party 1 in the clear after the reveal), and static subgraphs
 * ({@link ConstantFolder}: Shape, Gather, Unsqueeze, Squeeze, Concat, Cast, Transpose, Range,
 * Slice, … of constants and shapes).
 *
 * <p>The PolyKervNet pattern {@code Conv → Add(cp) → Pow(dp)} (or {@code Mul(x, x)}, or {@code Conv
 * → Pow}) becomes one fused {@link PolyKerv}. Elsewhere, additions, products and divisions by
 * constants and powers become a {@link PolyAct} {@code s·(a·x + c)^d}, folded into the producing
 * layer where that is exact (bias, BatchNorm shift, weights). Every attribute is implemented or
 * refused ({@link OnnxAttributes}). Anything else fails with an {@link OnnxFormatException} naming
 * the node and the op.
 */
public final class OnnxImporter {
  /**
   * The ops that become layers (or vanish: Identity-like ones, a final softmax), and every op the
   * constant folder evaluates on static inputs ({@link ConstantFolder#OPS}).
   */
  public static final Set<String> SUPPORTED_OPS =
      union(
          Set.of(
              "Conv",
              "Gemm",
              "MatMul",
              "Pow",
              "BatchNormalization",
              "AveragePool",
              "GlobalAveragePool",
              "Flatten",
              "Relu",
              "MaxPool",
              "Dropout",
              "Constant",
              "Pad",
              "Softmax",
              "LogSoftmax"),
          ConstantFolder.OPS);

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new HashSet<>(a);
    u.addAll(b);
    return Set.copyOf(u);
  }

  private final Map<String, Tensor> constants = new HashMap<>();

  /** ONNX value name → name of our layer producing it (or {@link Model#INPUT}). */
  private final Map<String, String> valueToLayer = new HashMap<>();

  /** ONNX value name → a zero Pad of an activation waiting for the Conv or pool that reads it. */
  private final Map<String, PendingPad> pads = new HashMap<>();

  private final Map<String, Integer> consumers = new HashMap<>();

  /** Layer name → how many of its readers are aliasing nodes (see {@link #alias}). */
  private final Map<String, Integer> aliasReads = new HashMap<>();

  private final List<Layer> layers = new ArrayList<>();
  private final Map<String, int[]> shapes = new HashMap<>();
  private final Set<String> usedNames = new HashSet<>();

  /** The fixed batch size of the input, or {@link ConstantFolder#BATCH} when symbolic. */
  private double batch;

  /** The default-domain opset (Softmax's default axis changed at 13). */
  private long opset = 13;

  private int anonymous;

  /** Pad of {@code layer}'s output by {top, left, bottom, right} zeros. */
  private record PendingPad(String layer, int[] tlbr, NodeProto node) {}

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
    for (OperatorSetIdProto o : proto.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        opset = o.getVersion();
      }
    }
    for (TensorProto t : g.getInitializerList()) {
      constants.put(t.getName(), tensor(t));
    }
    ValueInfoProto input = null;
    for (ValueInfoProto v : g.getInputList()) {
      if (!constants.containsKey(v.getName())) {
        if (input != null) {
          throw new OnnxFormatException(
              "the model has more than one input ('"
                  + input.getName()
                  + "', '"
                  + v.getName()
                  + "'); PolyShare models take one image tensor");
        }
        input = v;
      }
    }
    if (input == null) {
      throw new OnnxFormatException("the model has no (non-initializer) input");
    }
    requireReal(input, "input");
    for (ValueInfoProto o : g.getOutputList()) {
      requireReal(o, "output");
    }
    int[] inputShape = inputShape(input);
    TensorShapeProto.Dimension b0 = input.getType().getTensorType().getShape().getDim(0);
    batch = b0.hasDimValue() && b0.getDimValue() > 0 ? b0.getDimValue() : ConstantFolder.BATCH;
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
      } catch (IllegalArgumentException | IndexOutOfBoundsException | ArithmeticException e) {
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
      throw new OnnxFormatException(
          "the model must have exactly one output, it has " + g.getOutputCount());
    }
    String outName = g.getOutput(0).getName();
    if (pads.containsKey(outName)) {
      throw padNotFolded(pads.get(outName), "the graph output");
    }
    String out = valueToLayer.get(outName);
    if (out == null || layers.isEmpty() || !layers.get(layers.size() - 1).name().equals(out)) {
      throw new OnnxFormatException(
          "the graph output '" + outName + "' is not produced by the last supported node");
    }
    for (int i = 0; i + 1 < layers.size(); i++) {
      if (layers.get(i) instanceof Softmax sm) {
        throw new OnnxFormatException(
            "layer '"
                + sm.name()
                + "': a (Log)Softmax is supported"
                + " only as the last node (party 1 applies it in the clear to the revealed logits)");
      }
    }
    int fracBits = FixedPoint.DEFAULT_FRAC_BITS;
    for (StringStringEntryProto e : proto.getMetadataPropsList()) {
      if (e.getKey().equals(OnnxExporter.FRAC_BITS_KEY)) {
        try {
          fracBits = Integer.parseInt(e.getValue());
        } catch (NumberFormatException ex) {
          throw new OnnxFormatException(
              "metadata "
                  + OnnxExporter.FRAC_BITS_KEY
                  + " is not an"
                  + " integer: "
                  + e.getValue());
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

  private static Tensor tensor(TensorProto t) {
    long[] dims = new long[t.getDimsCount()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = t.getDims(i);
    }
    return new Tensor(dims, OnnxTensors.toDoubles(t));
  }

  /**
   * The model computes over the reals (double in plaintext, fixed point in the ring): an integer
   * input or output would need integer semantics (wrap-around, truncating division, integer powers)
   * that the layers do not have, so it is refused rather than computed in the reals.
   */
  private static void requireReal(ValueInfoProto v, String what) {
    if (!v.hasType() || !v.getType().hasTensorType()) {
      throw new OnnxFormatException(
          what
              + " '"
              + v.getName()
              + "' is not a tensor (sequence,"
              + " map and optional values are not supported)");
    }
    int t = v.getType().getTensorType().getElemType();
    if (t != TensorProto.DataType.FLOAT_VALUE
        && t != TensorProto.DataType.DOUBLE_VALUE
        && t != TensorProto.DataType.UNDEFINED_VALUE) {
      throw new OnnxFormatException(
          what
              + " '"
              + v.getName()
              + "' has element type "
              + OnnxTensors.typeName(t)
              + "; PolyShare models take and return FLOAT (or DOUBLE)"
              + " tensors");
    }
  }

  private static int[] inputShape(ValueInfoProto input) {
    if (!input.hasType()
        || !input.getType().hasTensorType()
        || !input.getType().getTensorType().hasShape()) {
      throw new OnnxFormatException("input '" + input.getName() + "' has no tensor shape");
    }
    List<TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
    if (dims.size() < 2) {
      throw new OnnxFormatException(
          "input '" + input.getName() + "' must have a batch axis and at least one more axis");
    }
    int[] s = new int[dims.size() - 1];
    for (int i = 1; i < dims.size(); i++) {
      TensorShapeProto.Dimension d = dims.get(i);
      if (!d.hasDimValue() || d.getDimValue() <= 0 || d.getDimValue() > Integer.MAX_VALUE) {
        throw new OnnxFormatException(
            "input '"
                + input.getName()
                + "' axis "
                + i
                + " has no fixed size; only the batch axis may be symbolic");
      }
      s[i - 1] = (int) d.getDimValue();
    }
    return s;
  }

  private static String describe(NodeProto n) {
    return "node '"
        + (n.getName().isEmpty() ? n.getOutputCount() > 0 ? n.getOutput(0) : "?" : n.getName())
        + "' (op "
        + n.getOpType()
        + ")";
  }

  private void node(NodeProto n) {
    String op = n.getOpType();
    if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
      throw new OnnxFormatException(
          describe(n) + " is from domain '" + n.getDomain() + "', which is not supported");
    }
    if (!SUPPORTED_OPS.contains(op)) {
      throw new OnnxFormatException(
          describe(n)
              + " is not supported; supported ops: "
              + String.join(", ", new java.util.TreeSet<>(SUPPORTED_OPS)));
    }
    if (n.getOutputCount() < 1) {
      throw new OnnxFormatException(describe(n) + " has no output");
    }
    OnnxAttributes.check(n, describe(n));
    for (int i = 0; i < n.getInputCount(); i++) {
      PendingPad pp = pads.get(n.getInput(i));
      if (pp != null && !(i == 0 && Set.of("Conv", "AveragePool", "MaxPool").contains(op))) {
        throw padNotFolded(pp, describe(n));
      }
    }
    String out = n.getOutput(0);
    if (op.equals("Constant")) {
      constants.put(out, constantNode(n));
      return;
    }
    if (foldable(n)) {
      constants.put(
          out,
          ConstantFolder.fold(
              n,
              i ->
                  i < n.getInputCount() && !n.getInput(i).isEmpty()
                      ? constants.get(n.getInput(i))
                      : null,
              shapeOfInput(n)));
      return;
    }
    switch (op) {
      case "Identity" -> alias(out, activation(n, 0));
      case "Dropout" -> dropout(n, out);
      case "Conv" -> conv(n, out);
      case "Gemm" -> gemm(n, out);
      case "MatMul" -> matmul(n, out);
      case "Add" -> addConstOrResidual(n, out);
      case "Sub" -> sub(n, out);
      case "Mul" -> mul(n, out);
      case "Div" -> div(n, out);
      case "Pow" -> pow(n, out);
      case "BatchNormalization" -> batchNorm(n, out);
      case "AveragePool", "MaxPool" -> pool(n, out, op.equals("MaxPool"));
      case "GlobalAveragePool" -> emit(out, new GlobalAvgPool(name(out), activation(n, 0)));
      case "Flatten" -> {
        long axis = intAttr(n, "axis", 1);
        if (axis != 1 && !(axis == -1 && rankWithBatch(activation(n, 0)) == 2)) {
          throw refused(n, "axis", "only axis = 1 is supported");
        }
        emit(out, new Flatten(name(out), activation(n, 0)));
      }
      case "Reshape" -> reshape(n, out);
      case "Relu" -> emit(out, new Relu(name(out), activation(n, 0)));
      case "Pad" -> pad(n, out);
      case "Softmax", "LogSoftmax" -> softmax(n, out, op.equals("LogSoftmax"));
      case "Gather",
          "Transpose",
          "Unsqueeze",
          "Squeeze",
          "Concat",
          "Range",
          "Shape",
          "Cast",
          "ConstantOfShape",
          "Neg",
          "Slice" ->
          throw new OnnxFormatException(
              describe(n)
                  + " on an activation is not supported (only static subgraphs of constants and"
                  + " shapes are folded)"
                  + unfoldHint(op));
      default -> throw new IllegalStateException(op);
    }
  }

  /**
   * Kervolution written with {@code F.unfold} exports im2col as Pad → Gather → Gather → Transpose →
   * Reshape → MatMul on the activation; that is a convolution, say so.
   */
  private static String unfoldHint(String op) {
    return op.equals("Gather") || op.equals("Transpose")
        ? "; if this is F.unfold (im2col) followed by a matmul, write the kervolution as"
            + " nn.Conv2d followed by (x + cp) ** dp, which imports as a fused PolyKerv"
        : "";
  }

  private OnnxFormatException padNotFolded(PendingPad pp, String reader) {
    return new OnnxFormatException(
        describe(pp.node())
            + ": a Pad of an activation is supported"
            + " only when a Conv, AveragePool or MaxPool reads it, but "
            + reader
            + " does"
            + unfoldHint("Gather"));
  }

  /** A node whose inputs are all static (constants, or the shape of an activation). */
  private boolean foldable(NodeProto n) {
    String op = n.getOpType();
    if (!ConstantFolder.OPS.contains(op)) {
      return false;
    }
    if (op.equals("Shape")) {
      return valueToLayer.containsKey(n.getInput(0)) || isConstant(n.getInput(0));
    }
    for (String in : n.getInputList()) {
      if (!in.isEmpty() && !isConstant(in)) {
        return false;
      }
    }
    return n.getInputCount() > 0;
  }

  /** For a Shape of an activation: its full shape, batch axis first. */
  private double[] shapeOfInput(NodeProto n) {
    if (!n.getOpType().equals("Shape") || isConstant(n.getInput(0))) {
      return null;
    }
    int[] s = shapes.get(valueToLayer.get(n.getInput(0)));
    double[] full = new double[s.length + 1];
    full[0] = batch;
    for (int i = 0; i < s.length; i++) {
      full[i + 1] = s[i];
    }
    return full;
  }

  private Tensor constantNode(NodeProto n) {
    AttributeProto a = n.getAttributeCount() == 1 ? n.getAttribute(0) : null;
    if (a == null) {
      throw new OnnxFormatException(describe(n) + " must have exactly one value attribute");
    }
    return switch (a.getName()) {
      case "value" -> tensor(a.getT());
      case "value_float" -> Tensor.scalar(a.getF());
      case "value_int" -> Tensor.scalar(a.getI());
      case "value_floats" ->
          Tensor.vector(a.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray());
      case "value_ints" ->
          Tensor.vector(a.getIntsList().stream().mapToDouble(Long::doubleValue).toArray());
      default -> throw refused(n, a.getName(), "not a numeric constant");
    };
  }

  private void dropout(NodeProto n, String out) {
    if (n.getOutputCount() > 1
        && !n.getOutput(1).isEmpty()
        && consumers.getOrDefault(n.getOutput(1), 0) > 0) {
      throw new OnnxFormatException(describe(n) + ": the mask output is not supported");
    }
    Tensor training = constant(n, 2, "training_mode");
    if (training != null && training.values()[0] != 0) {
      throw new OnnxFormatException(
          describe(n) + ": training_mode = true is not supported" + " (inference only)");
    }
    if (n.getInputCount() > 2 && !n.getInput(2).isEmpty() && training == null) {
      throw new OnnxFormatException(describe(n) + ": training_mode must be a constant");
    }
    alias(out, activation(n, 0));
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
      throw new OnnxFormatException(
          describe(n)
              + ": input '"
              + v
              + "' is "
              + (isConstant(v)
                  ? "a constant where an activation is expected"
                  : "not produced by an earlier node"));
    }
    return layer;
  }

  private int rankWithBatch(String layer) {
    return shapes.get(layer).length + 1;
  }

  private Tensor constant(NodeProto n, int i, String what) {
    if (i >= n.getInputCount() || n.getInput(i).isEmpty()) {
      return null;
    }
    Tensor t = constants.get(n.getInput(i));
    if (t == null) {
      throw new OnnxFormatException(
          describe(n)
              + ": "
              + what
              + " '"
              + n.getInput(i)
              + "' must be an initializer or a Constant");
    }
    return t;
  }

  private double[] values(NodeProto n, int i, String what, long expected) {
    Tensor t = constant(n, i, what);
    if (t == null) {
      return null;
    }
    double[] v = t.values();
    if (expected >= 0 && v.length != expected) {
      throw new OnnxFormatException(
          describe(n) + ": " + what + " has " + v.length + " values, expected " + expected);
    }
    return v;
  }

  private static float floatAttr(NodeProto n, String name, float dflt) {
    AttributeProto a = attr(n, name);
    return a == null ? dflt : a.getF();
  }

  private static String stringAttr(NodeProto n, String name, String dflt) {
    AttributeProto a = attr(n, name);
    return a == null ? dflt : a.getS().toStringUtf8();
  }

  private static List<Long> intsAttr(NodeProto n, String name) {
    AttributeProto a = attr(n, name);
    return a == null ? List.of() : a.getIntsList();
  }

  /** An error naming node, op, attribute and its value. */
  private static OnnxFormatException refused(NodeProto n, String attribute, String why) {
    AttributeProto a = attr(n, attribute);
    return new OnnxFormatException(
        describe(n)
            + ": "
            + (a != null ? OnnxAttributes.named(a) : "attribute '" + attribute + "'")
            + " is not supported: "
            + why);
  }

  /** One value for both spatial axes, or an error naming the attribute. */
  private static int uniform(NodeProto n, String name, int dflt) {
    List<Long> vs = intsAttr(n, name);
    if (vs.isEmpty()) {
      return dflt;
    }
    if (vs.size() != 2) {
      throw refused(n, name, "only 2-D (NCHW) windows are supported");
    }
    if (!vs.get(0).equals(vs.get(1))) {
      throw refused(n, name, "the value must be equal on both axes");
    }
    return Math.toIntExact(vs.get(0));
  }

  /** Explicit pads {top, left, bottom, right} from ONNX's {h_begin, w_begin, h_end, w_end}. */
  private static int[] explicitPads(NodeProto n) {
    List<Long> p = intsAttr(n, "pads");
    if (p.isEmpty()) {
      return new int[4];
    }
    if (p.size() != 4) {
      throw refused(n, "pads", "only 2-D (NCHW) pads are supported");
    }
    int[] r = new int[4];
    for (int i = 0; i < 4; i++) {
      r[i] = Math.toIntExact(p.get(i));
      if (r[i] < 0) {
        throw refused(n, "pads", "negative pads are not supported");
      }
    }
    return r;
  }

  /**
   * Pads {top, left, bottom, right} after {@code auto_pad}: SAME_UPPER/SAME_LOWER give output size
   * ⌈n / s⌉ and total pad {@code max(0, (o − 1)·s + e − n)}, the odd cell at the end (UPPER) or the
   * beginning (LOWER); VALID is no padding; NOTSET uses the explicit pads.
   */
  private static int[] autoPads(NodeProto n, int[] hw, int k, int s, int d) {
    String mode = stringAttr(n, "auto_pad", "NOTSET");
    switch (mode) {
      case "NOTSET":
        return explicitPads(n);
      case "VALID":
        return new int[4];
      case "SAME_UPPER", "SAME_LOWER":
        {
          int[] r = new int[4];
          int extent = (k - 1) * d + 1;
          for (int ax = 0; ax < 2; ax++) {
            int o = (hw[ax] + s - 1) / s;
            int total = Math.max(0, (o - 1) * s + extent - hw[ax]);
            int small = total / 2;
            int begin = mode.equals("SAME_UPPER") ? small : total - small;
            r[ax] = begin;
            r[ax + 2] = total - begin;
          }
          return r;
        }
      default:
        throw refused(n, "auto_pad", "expected NOTSET, VALID, SAME_UPPER or SAME_LOWER");
    }
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

  /**
   * {@code value} is another name of {@code layer}'s output (Identity, inference Dropout, a
   * zero-width Pad, a no-op Reshape); the aliasing node is one of the layer's readers.
   */
  private void alias(String value, String layer) {
    valueToLayer.put(value, layer);
    aliasReads.merge(layer, 1, Integer::sum);
  }

  /**
   * Replaces the last layer (which must be {@code old}) by {@code l}, now producing {@code value}.
   */
  private void replaceLast(Layer old, Layer l, String value) {
    layers.remove(layers.size() - 1);
    usedNames.remove(old.name());
    shapes.remove(old.name());
    emit(value, l);
  }

  /**
   * The producing layer of the node's input i if it is the last layer and read only by this node,
   * under any of its names: folding this node into it must not change what another reader of an
   * alias (say, the value before an Identity) sees.
   */
  private Layer soleProducer(NodeProto n, int i) {
    String v = n.getInput(i);
    String layer = valueToLayer.get(v);
    if (layer == null || layers.isEmpty() || consumers.getOrDefault(v, 0) != 1) {
      return null;
    }
    Layer last = layers.get(layers.size() - 1);
    if (!last.name().equals(layer)) {
      return null;
    }
    int readers = -aliasReads.getOrDefault(layer, 0);
    for (Map.Entry<String, String> e : valueToLayer.entrySet()) {
      if (e.getValue().equals(layer)) {
        readers += consumers.getOrDefault(e.getKey(), 0);
      }
    }
    return readers == 1 ? last : null;
  }

  private void conv(NodeProto n, String out) {
    PendingPad pp = pads.get(n.getInput(0));
    String in = pp != null ? pp.layer() : activation(n, 0);
    Tensor wt = constant(n, 1, "weight");
    if (wt == null || wt.rank() != 4) {
      throw new OnnxFormatException(
          describe(n)
              + ": weight must be a 4-D initializer (only 2-D"
              + " convolution is supported)");
    }
    if (intAttr(n, "group", 1) != 1) {
      throw refused(n, "group", "grouped convolution is not supported");
    }
    for (long d : intsAttr(n, "dilations")) {
      if (d != 1) {
        throw refused(n, "dilations", "dilated convolution is not supported");
      }
    }
    int oc = (int) wt.dims()[0];
    int ic = (int) wt.dims()[1];
    int kh = (int) wt.dims()[2];
    int kw = (int) wt.dims()[3];
    List<Long> ks = intsAttr(n, "kernel_shape");
    if (!ks.isEmpty() && !ks.equals(List.of((long) kh, (long) kw))) {
      throw refused(n, "kernel_shape", "it differs from the weight's [" + kh + ", " + kw + "]");
    }
    int stride = uniform(n, "strides", 1);
    int[] sh = shapes.get(in);
    int[] hw = {sh.length == 3 ? sh[1] : 1, sh.length == 3 ? sh[2] : 1};
    if (pp != null) {
      hw[0] += pp.tlbr()[0] + pp.tlbr()[2];
      hw[1] += pp.tlbr()[1] + pp.tlbr()[3];
    }
    int[] p = autoPads(n, hw, Math.max(kh, kw), stride, 1);
    if (kh != kw && stringAttr(n, "auto_pad", "NOTSET").startsWith("SAME")) {
      throw refused(n, "auto_pad", "SAME padding of a non-square kernel is not supported");
    }
    if (pp != null) {
      for (int i = 0; i < 4; i++) {
        p[i] += pp.tlbr()[i];
      }
    }
    if (p[0] != p[1] || p[0] != p[2] || p[0] != p[3]) {
      throw new OnnxFormatException(
          describe(n)
              + ": padding "
              + Arrays.toString(p)
              + " (top, left, bottom, right, including any folded Pad) is not supported; only"
              + " equal padding on all sides");
    }
    double[] b = values(n, 2, "bias", oc);
    emit(out, new Conv2d(name(out), in, ic, oc, kh, kw, stride, p[0], wt.values(), b));
  }

  private void gemm(NodeProto n, String out) {
    String in = activation(n, 0);
    if (intAttr(n, "transA", 0) != 0) {
      throw refused(n, "transA", "the activation must not be transposed");
    }
    if (shapes.get(in).length != 1) {
      throw new OnnxFormatException(
          describe(n)
              + ": A must be a [N, D] matrix, got per-sample"
              + " shape "
              + Arrays.toString(shapes.get(in)));
    }
    Tensor wt = constant(n, 1, "weight");
    if (wt == null || wt.rank() != 2) {
      throw new OnnxFormatException(describe(n) + ": B must be a 2-D initializer");
    }
    boolean transB = intAttr(n, "transB", 0) != 0;
    int outF = (int) (transB ? wt.dims()[0] : wt.dims()[1]);
    int inF = (int) (transB ? wt.dims()[1] : wt.dims()[0]);
    double alpha = floatAttr(n, "alpha", 1f);
    double beta = floatAttr(n, "beta", 1f);
    double[] w = wt.values();
    double[] weight = transB ? scale(w, alpha) : transpose(w, inF, outF, alpha);
    double[] bias = new double[outF];
    Tensor ct = constant(n, 2, "C");
    if (ct != null) {
      double[] c = ct.values();
      boolean rowVector = ct.rank() <= 1 || (ct.rank() == 2 && ct.dims()[0] == 1);
      if (!rowVector && batch != 1) {
        throw new OnnxFormatException(
            describe(n)
                + ": C of shape "
                + Arrays.toString(ct.dims())
                + " varies along the batch axis; only a bias per output feature is supported");
      }
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
    Tensor wt = constant(n, 1, "B");
    if (wt == null || wt.rank() != 2 || shapes.get(in).length != 1) {
      throw new OnnxFormatException(
          describe(n) + ": only [N, D] × a 2-D initializer is" + " supported");
    }
    int inF = (int) wt.dims()[0];
    int outF = (int) wt.dims()[1];
    emit(out, new Linear(name(out), in, inF, outF, transpose(wt.values(), inF, outF, 1), null));
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

  // ---- elementwise arithmetic with constants: folded, or a PolyAct -----------------------------

  /**
   * A constant operand broadcast against an activation: one value, or one per channel (axis 1 of
   * NCHW, or per feature of [N, D]); anything varying along another axis is refused.
   */
  private double[] channelValues(NodeProto n, Tensor k, String layer) {
    if (k.values().length == 1) {
      return k.values();
    }
    int[] s = shapes.get(layer);
    int full = s.length + 1;
    long[] d = k.dims();
    boolean ok = d.length <= full;
    for (int i = 0; ok && i < d.length; i++) {
      int axis = full - d.length + i;
      ok = d[i] == 1 || (axis == 1 && d[i] == s[0]);
    }
    if (!ok) {
      throw new OnnxFormatException(
          describe(n)
              + ": the constant of shape "
              + Arrays.toString(d)
              + " does not broadcast per channel over the activation of"
              + " per-sample shape "
              + Arrays.toString(s)
              + "; use a scalar or [C, 1, 1]");
    }
    return k.values();
  }

  private static double[] combine(double[] a, double[] b, boolean multiply) {
    int len = Math.max(a.length, b.length);
    double[] r = new double[len];
    for (int i = 0; i < len; i++) {
      double x = a[a.length == 1 ? 0 : i];
      double y = b[b.length == 1 ? 0 : i];
      r[i] = multiply ? x * y : x + y;
    }
    return r;
  }

  private static double[] perRow(double[] w, double[] k, int rows) {
    double[] r = w.clone();
    int per = w.length / rows;
    for (int o = 0; o < rows; o++) {
      double f = k[k.length == 1 ? 0 : o];
      for (int j = 0; j < per; j++) {
        r[o * per + j] *= f;
      }
    }
    return r;
  }

  /**
   * Which operand of the binary node {@code n} is a constant: 0, else 1, or −1 if neither is (two
   * activations).
   */
  private int constantOperand(NodeProto n) {
    if (n.getInputCount() != 2) {
      throw new OnnxFormatException(describe(n) + " must have 2 inputs");
    }
    return isConstant(n.getInput(0)) ? 0 : isConstant(n.getInput(1)) ? 1 : -1;
  }

  private void addConstOrResidual(NodeProto n, String out) {
    int k = constantOperand(n);
    if (k < 0) {
      emit(out, new Add(name(out), activation(n, 0), activation(n, 1)));
      return;
    }
    addConstant(n, out, 1 - k, constants.get(n.getInput(k)).values(), false);
  }

  private void sub(NodeProto n, String out) {
    boolean c0 = isConstant(n.getInput(0));
    boolean c1 = isConstant(n.getInput(1));
    if (!c0 && !c1) {
      throw new OnnxFormatException(
          describe(n)
              + ": a difference of two activations is not"
              + " supported (only x − constant and constant − x)");
    }
    if (c1) {
      addConstant(n, out, 0, negate(constants.get(n.getInput(1)).values()), false);
    } else {
      // k − x = (−1)·x + k
      String tmp = out + "/neg";
      mulConstant(n, tmp, 1, new double[] {-1});
      addConstantTo(
          n,
          out,
          valueToLayer.get(tmp),
          tmp,
          channelValues(n, constants.get(n.getInput(0)), valueToLayer.get(tmp)));
    }
  }

  private static double[] negate(double[] k) {
    double[] r = new double[k.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = -k[i];
    }
    return r;
  }

  private void div(NodeProto n, String out) {
    if (!isConstant(n.getInput(1))) {
      throw new OnnxFormatException(describe(n) + ": only division by a constant is supported");
    }
    double[] k = constants.get(n.getInput(1)).values();
    double[] inv = new double[k.length];
    for (int i = 0; i < k.length; i++) {
      if (k[i] == 0) {
        throw new OnnxFormatException(describe(n) + ": division by zero");
      }
      inv[i] = 1 / k[i];
    }
    mulConstant(n, out, 0, inv);
  }

  private void mul(NodeProto n, String out) {
    int k = constantOperand(n);
    if (k < 0) {
      if (n.getInput(0).equals(n.getInput(1))) {
        power(n, out, 2);
        return;
      }
      throw new OnnxFormatException(
          describe(n)
              + ": a product of two different activations is"
              + " not supported (only Mul(x, x), a square, and products with constants)");
    }
    mulConstant(n, out, 1 - k, constants.get(n.getInput(k)).values());
  }

  private void addConstant(NodeProto n, String out, int act, double[] raw, boolean unused) {
    String layer = activation(n, act);
    double[] k =
        channelValues(
            n,
            new Tensor(
                constants.get(n.getInput(1 - act)) != null
                    ? constants.get(n.getInput(1 - act)).dims()
                    : new long[] {raw.length},
                raw),
            layer);
    Layer p = soleProducer(n, act);
    if (p instanceof Conv2d c) {
      // Conv → Add(cp): a PolyKerv of degree 1 until a power follows (or a plain bias if not).
      replaceLast(c, new PolyKerv(name(out), c.input(), c, fit(k, c.outChannels()), 1), out);
    } else if (p instanceof PolyKerv pk && pk.dp() == 1) {
      replaceLast(
          pk, new PolyKerv(name(out), pk.input(), pk.conv(), combine(pk.cp(), k, false), 1), out);
    } else if (p instanceof Linear lin) {
      replaceLast(lin, refit(lin, out, lin.weight(), combine(lin.bias(), k, false)), out);
    } else if (p instanceof BatchNorm bn) {
      replaceLast(
          bn, refit(bn, out, bn.gamma(), fit(combine(bn.beta(), k, false), bn.channels())), out);
    } else {
      addShift(p instanceof PolyAct pa && pa.degree() == 1 ? pa : null, out, layer, k);
    }
  }

  /** Adds per-channel k to the activation {@code layer} (the value {@code value}). */
  private void addConstantTo(NodeProto n, String out, String layer, String value, double[] k) {
    Layer last = layers.get(layers.size() - 1);
    addShift(
        last.name().equals(layer) && last instanceof PolyAct pa && pa.degree() == 1 ? pa : null,
        out,
        layer,
        k);
  }

  /**
   * {@code out = layer + k} (per channel): folded into the shift of {@code pa}, the degree-1 {@link
   * PolyAct} that produced {@code layer}, or a new degree-1 PolyAct when there is none (null).
   */
  private void addShift(PolyAct pa, String out, String layer, double[] k) {
    if (pa != null) {
      replaceLast(
          pa,
          new PolyAct(
              name(out), pa.input(), pa.scale(), combine(pa.shift(), k, false), 1, pa.outScale()),
          out);
    } else {
      emit(out, new PolyAct(name(out), layer, new double[] {1}, k, 1, new double[] {1}));
    }
  }

  /** {@code lin} renamed to {@code out} with a new weight and bias. */
  private Linear refit(Linear lin, String out, double[] weight, double[] bias) {
    return new Linear(name(out), lin.input(), lin.inFeatures(), lin.outFeatures(), weight, bias);
  }

  /** {@code bn} renamed to {@code out} with a new scale and shift. */
  private BatchNorm refit(BatchNorm bn, String out, double[] gamma, double[] beta) {
    return new BatchNorm(
        name(out), bn.input(), bn.channels(), gamma, beta, bn.mean(), bn.var(), bn.eps());
  }

  private void mulConstant(NodeProto n, String out, int act, double[] raw) {
    String layer = activation(n, act);
    Tensor kt = isConstant(n.getInput(1 - act)) ? constants.get(n.getInput(1 - act)) : null;
    double[] k =
        kt != null && kt.values().length == raw.length
            ? channelValues(n, new Tensor(kt.dims(), raw), layer)
            : raw;
    Layer p = soleProducer(n, act);
    if (p instanceof Conv2d c) {
      replaceLast(c, scaled(c, k, name(out)), out);
    } else if (p instanceof PolyKerv pk && pk.dp() == 1) {
      replaceLast(
          pk,
          new PolyKerv(
              name(out), pk.input(), scaled(pk.conv(), k, name(out)), combine(pk.cp(), k, true), 1),
          out);
    } else if (p instanceof PolyKerv pk) {
      // R-PKN ap·(conv + cp)^dp: the fused PolyKerv has no output scale, so split it
      layers.remove(layers.size() - 1);
      usedNames.remove(pk.name());
      shapes.remove(pk.name());
      String convName = name(pk.name() + "/conv");
      emit(convName, pk.conv().rewire(convName, pk.input()));
      emit(out, new PolyAct(name(out), convName, new double[] {1}, pk.cp(), pk.dp(), k));
    } else if (p instanceof Linear lin) {
      replaceLast(
          lin,
          refit(lin, out, perRow(lin.weight(), k, lin.outFeatures()), combine(lin.bias(), k, true)),
          out);
    } else if (p instanceof BatchNorm bn) {
      replaceLast(
          bn,
          refit(
              bn,
              out,
              fit(combine(bn.gamma(), k, true), bn.channels()),
              fit(combine(bn.beta(), k, true), bn.channels())),
          out);
    } else if (p instanceof PolyAct pa && pa.degree() == 1) {
      replaceLast(
          pa,
          new PolyAct(
              name(out),
              pa.input(),
              combine(pa.scale(), k, true),
              combine(pa.shift(), k, true),
              1,
              pa.outScale()),
          out);
    } else if (p instanceof PolyAct pa) {
      replaceLast(
          pa,
          new PolyAct(
              name(out),
              pa.input(),
              pa.scale(),
              pa.shift(),
              pa.degree(),
              combine(pa.outScale(), k, true)),
          out);
    } else {
      emit(out, new PolyAct(name(out), layer, k, new double[] {0}, 1, new double[] {1}));
    }
  }

  private static double[] fit(double[] k, int channels) {
    if (k.length == channels || k.length == 1) {
      return k.length == channels ? k : filled(k[0], channels);
    }
    throw new IllegalArgumentException(
        "a constant has " + k.length + " values; expected 1 or " + channels);
  }

  private static double[] filled(double v, int n) {
    double[] r = new double[n];
    Arrays.fill(r, v);
    return r;
  }

  private static Conv2d scaled(Conv2d c, double[] k, String name) {
    double[] kk = fit(k, c.outChannels());
    return new Conv2d(
        name,
        c.input(),
        c.inChannels(),
        c.outChannels(),
        c.kernelH(),
        c.kernelW(),
        c.stride(),
        c.padding(),
        perRow(c.weight(), kk, c.outChannels()),
        combine(c.bias(), kk, true));
  }

  private void pow(NodeProto n, String out) {
    double[] e = values(n, 1, "exponent", 1);
    if (e == null || e[0] != Math.rint(e[0]) || e[0] < 1 || e[0] > PolyAct.MAX_DEGREE) {
      throw new OnnxFormatException(
          describe(n)
              + ": the exponent must be a constant integer in"
              + " [1, "
              + PolyAct.MAX_DEGREE
              + "]");
    }
    power(n, out, (int) e[0]);
  }

  private void power(NodeProto n, String out, int dp) {
    String layer = activation(n, 0);
    Layer p = soleProducer(n, 0);
    if (p instanceof PolyKerv pk && pk.dp() == 1) {
      replaceLast(pk, new PolyKerv(name(out), pk.input(), pk.conv(), pk.cp(), dp), out);
    } else if (p instanceof Conv2d c) {
      replaceLast(c, new PolyKerv(name(out), c.input(), c, new double[] {0}, dp), out);
    } else if (p instanceof PolyAct pa && pa.degree() == 1) {
      replaceLast(
          pa, new PolyAct(name(out), pa.input(), pa.scale(), pa.shift(), dp, pa.outScale()), out);
    } else {
      emit(out, PolyAct.shifted(name(out), layer, new double[] {0}, dp));
    }
  }

  private void batchNorm(NodeProto n, String out) {
    String in = activation(n, 0);
    if (intAttr(n, "training_mode", 0) != 0) {
      throw refused(n, "training_mode", "only inference (running statistics) is supported");
    }
    if (intAttr(n, "spatial", 1) != 1) {
      throw refused(n, "spatial", "only per-channel statistics (spatial = 1) are supported");
    }
    for (int i = 1; i < n.getOutputCount(); i++) {
      if (!n.getOutput(i).isEmpty() && consumers.getOrDefault(n.getOutput(i), 0) > 0) {
        throw new OnnxFormatException(
            describe(n) + ": the training outputs (running mean/var)" + " are not supported");
      }
    }
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
    PendingPad pp = pads.get(n.getInput(0));
    String in = pp != null ? pp.layer() : activation(n, 0);
    int[] sh = shapes.get(in);
    if (sh.length != 3) {
      throw new OnnxFormatException(describe(n) + ": only 2-D pooling of NCHW is supported");
    }
    List<Long> ks = intsAttr(n, "kernel_shape");
    if (ks.size() != 2) {
      throw refused(n, "kernel_shape", "a 2-D kernel_shape is required");
    }
    int k = uniform(n, "kernel_shape", -1);
    int s = uniform(n, "strides", 1);
    int d = max ? uniform(n, "dilations", 1) : 1;
    boolean ceil = intAttr(n, "ceil_mode", 0) != 0;
    if (max && n.getOutputCount() > 1 && !n.getOutput(1).isEmpty()) {
      throw new OnnxFormatException(describe(n) + ": the Indices output is not supported");
    }
    int[] hw = {sh[1], sh[2]};
    if (pp != null) {
      hw[0] += pp.tlbr()[0] + pp.tlbr()[2];
      hw[1] += pp.tlbr()[1] + pp.tlbr()[3];
    }
    int[] p = autoPads(n, hw, k, s, d);
    boolean countPad = intAttr(n, "count_include_pad", 0) != 0;
    boolean zeroPads = false;
    if (pp != null) {
      boolean own = p[0] + p[1] + p[2] + p[3] > 0;
      if (own && (max || !countPad)) {
        throw new OnnxFormatException(
            describe(n)
                + ": a Pad folded into a pool that has its own"
                + " pads"
                + (max ? "" : " with count_include_pad = 0")
                + " is not supported");
      }
      for (int i = 0; i < 4; i++) {
        p[i] += pp.tlbr()[i];
      }
      countPad = true; // the Pad's zeros are input cells of the pool
      zeroPads = true;
    }
    PoolWindow w = new PoolWindow(k, s, d, p, ceil);
    emit(
        out,
        max ? new MaxPool(name(out), in, w, zeroPads) : new AvgPool(name(out), in, w, countPad));
  }

  private void pad(NodeProto n, String out) {
    String in = activation(n, 0);
    String mode = stringAttr(n, "mode", "constant");
    double[] p;
    double value;
    if (n.getInputCount() > 1) {
      p = values(n, 1, "pads", -1);
      double[] v = values(n, 2, "constant_value", 1);
      value = v == null ? 0 : v[0];
      if (attr(n, "pads") != null || attr(n, "value") != null) {
        throw new OnnxFormatException(describe(n) + ": pads given both as input and attribute");
      }
    } else {
      p = intsAttr(n, "pads").stream().mapToDouble(Long::doubleValue).toArray();
      value = floatAttr(n, "value", 0f);
    }
    int rank = rankWithBatch(in);
    double[] full = new double[2 * rank];
    double[] axes = values(n, 3, "axes", -1);
    if (axes == null) {
      if (p == null || p.length != 2 * rank) {
        throw new OnnxFormatException(describe(n) + ": pads must have " + 2 * rank + " values");
      }
      full = p;
    } else {
      for (int i = 0; i < axes.length; i++) {
        int ax = (int) ConstantFolder.normAxis((long) axes[i], rank, false);
        full[ax] = p[i];
        full[ax + rank] = p[i + axes.length];
      }
    }
    boolean zeroWidth = true;
    for (double v : full) {
      zeroWidth &= v == 0;
    }
    if (zeroWidth) {
      alias(out, in); // torch's AvgPool2d(count_include_pad=True) without padding exports this
      return;
    }
    if (!mode.equals("constant")) {
      throw refused(n, "mode", "only constant (zero) padding is supported");
    }
    if (value != 0) {
      throw attr(n, "value") != null
          ? refused(n, "value", "only zero padding is supported")
          : new OnnxFormatException(
              describe(n) + ": constant_value " + value + " is not supported; only zero padding");
    }
    if (rank != 4 || full[0] != 0 || full[1] != 0 || full[4] != 0 || full[5] != 0) {
      throw new OnnxFormatException(
          describe(n)
              + ": only padding of the two spatial axes of"
              + " NCHW is supported, got pads "
              + Arrays.toString(full));
    }
    int[] tlbr = {(int) full[2], (int) full[3], (int) full[6], (int) full[7]};
    for (int v : tlbr) {
      if (v < 0) {
        throw new OnnxFormatException(
            describe(n) + ": negative pads (cropping) are not" + " supported");
      }
    }
    pads.put(out, new PendingPad(in, tlbr, n));
  }

  private void softmax(NodeProto n, String out, boolean log) {
    String in = activation(n, 0);
    long axis = intAttr(n, "axis", opset < 13 ? 1 : -1);
    if (shapes.get(in).length != 1 || (axis != 1 && axis != -1)) {
      throw new OnnxFormatException(
          describe(n)
              + ": only a softmax over the logits of [N, D]"
              + " (axis 1 or -1) is supported, got axis "
              + axis
              + " on per-sample shape "
              + Arrays.toString(shapes.get(in)));
    }
    emit(out, new Softmax(name(out), in, log));
  }

  private void reshape(NodeProto n, String out) {
    String in = activation(n, 0);
    double[] target = values(n, 1, "shape", -1);
    boolean allowZero = intAttr(n, "allowzero", 0) != 0;
    int[] s = shapes.get(in);
    int numel = 1;
    for (int d : s) {
      numel *= d;
    }
    if (target == null) {
      throw new OnnxFormatException(describe(n) + ": the target shape must be static");
    }
    boolean keepsBatch =
        target.length >= 1
            && (target[0] == ConstantFolder.BATCH
                || (target[0] == 0 && !allowZero)
                || (batch != ConstantFolder.BATCH && target[0] == batch)
                || (target[0] == -1 && restIs(target, s, numel)));
    boolean flat = keepsBatch && target.length == 2 && (target[1] == -1 || target[1] == numel);
    if (flat) {
      emit(out, new Flatten(name(out), in));
      return;
    }
    if (keepsBatch && target.length == s.length + 1) {
      boolean same = true;
      for (int i = 0; i < s.length; i++) {
        same &= target[i + 1] == s[i] || (target[i + 1] == 0 && !allowZero);
      }
      if (same) {
        alias(out, in);
        return;
      }
    }
    throw new OnnxFormatException(
        describe(n)
            + ": only a reshape to [N, -1] (a flatten) is"
            + " supported, got "
            + Arrays.toString(target)
            + " for per-sample shape "
            + Arrays.toString(s));
  }

  /** target[1..] is a full per-sample shape with numel elements (so target[0] = -1 is N). */
  private static boolean restIs(double[] target, int[] s, int numel) {
    long p = 1;
    for (int i = 1; i < target.length; i++) {
      if (target[i] <= 0) {
        return false;
      }
      p *= (long) target[i];
    }
    return target.length > 1 && p == numel;
  }

  private static Conv2d withExtraBias(Conv2d c, double[] cp) {
    double[] b = c.bias().clone();
    for (int i = 0; i < b.length; i++) {
      b[i] += cp.length == 1 ? cp[0] : cp[i];
    }
    return c.withParams(c.weight(), b);
  }
}
