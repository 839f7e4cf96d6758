package org.polyshare.models.onnx;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyAct;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.graph.PoolWindow;
import org.polyshare.models.graph.Relu;
import org.polyshare.models.graph.Softmax;
import org.polyshare.models.onnx.proto.OnnxProto.AttributeProto;
import org.polyshare.models.onnx.proto.OnnxProto.GraphProto;
import org.polyshare.models.onnx.proto.OnnxProto.ModelProto;
import org.polyshare.models.onnx.proto.OnnxProto.NodeProto;
import org.polyshare.models.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.polyshare.models.onnx.proto.OnnxProto.StringStringEntryProto;
import org.polyshare.models.onnx.proto.OnnxProto.TensorProto;
import org.polyshare.models.onnx.proto.OnnxProto.TensorShapeProto;
import org.polyshare.models.onnx.proto.OnnxProto.TypeProto;
import org.polyshare.models.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * Writes a {@link Model} with its weights (float32) as an ONNX model, opset 13, batch axis symbolic
 * ({@code N}). Each layer's output value is named after the layer. A {@link PolyKerv} becomes
 * {@code Conv → Add(cp) → Pow(dp)}, the pattern the importer folds back. The fixed-point precision
 * travels in the metadata entry {@value #FRAC_BITS_KEY}.
 */
public final class OnnxExporter {
  private OnnxExporter() {}

  public static final int OPSET = 13;
  public static final long IR_VERSION = 7;
  public static final String FRAC_BITS_KEY = "polyshare.frac_bits";

  public static void write(Model model, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      toProto(model).writeTo(out);
    }
  }

  public static byte[] toBytes(Model model) {
    return toProto(model).toByteArray();
  }

  public static ModelProto toProto(Model model) {
    GraphProto.Builder g = GraphProto.newBuilder().setName(model.name());
    g.addInput(valueInfo(Model.INPUT, model.inputShape()));
    for (Layer l : model.layers()) {
      emit(model, l, g);
    }
    g.addOutput(valueInfo(model.output().name(), model.outputShape()));
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName("polyshare")
        .setProducerVersion("0.1")
        .setGraph(g)
        .addMetadataProps(
            StringStringEntryProto.newBuilder()
                .setKey(FRAC_BITS_KEY)
                .setValue(Integer.toString(model.fracBits())))
        .build();
  }

  private static void emit(Model model, Layer l, GraphProto.Builder g) {
    String n = l.name();
    if (l instanceof Conv2d c) {
      conv(c, n, g);
    } else if (l instanceof PolyKerv p) {
      String convOut = n + "/conv";
      conv(p.conv(), convOut, g);
      int[] os = model.shape(n);
      String cpName = n + ".cp";
      if (p.cp().length == 1) {
        g.addInitializer(OnnxTensors.floats(cpName, p.cp(), 1));
      } else {
        g.addInitializer(OnnxTensors.floats(cpName, p.cp(), os[0], 1, 1));
      }
      String shifted = n + "/shift";
      g.addNode(node("Add", shifted, List.of(convOut, cpName), shifted));
      String dpName = n + ".dp";
      g.addInitializer(OnnxTensors.floats(dpName, new double[] {p.dp()}));
      g.addNode(node("Pow", n, List.of(shifted, dpName), n));
    } else if (l instanceof Linear lin) {
      g.addInitializer(
          OnnxTensors.floats(n + ".weight", lin.weight(), lin.outFeatures(), lin.inFeatures()));
      g.addInitializer(OnnxTensors.floats(n + ".bias", lin.bias(), lin.outFeatures()));
      g.addNode(
          node("Gemm", n, List.of(lin.input(), n + ".weight", n + ".bias"), n).toBuilder()
              .addAttribute(intAttr("transB", 1)));
    } else if (l instanceof BatchNorm bn) {
      g.addInitializer(OnnxTensors.floats(n + ".gamma", bn.gamma(), bn.channels()));
      g.addInitializer(OnnxTensors.floats(n + ".beta", bn.beta(), bn.channels()));
      g.addInitializer(OnnxTensors.floats(n + ".mean", bn.mean(), bn.channels()));
      g.addInitializer(OnnxTensors.floats(n + ".var", bn.var(), bn.channels()));
      g.addNode(
          node(
                  "BatchNormalization",
                  n,
                  List.of(bn.input(), n + ".gamma", n + ".beta", n + ".mean", n + ".var"),
                  n)
              .toBuilder()
              .addAttribute(
                  AttributeProto.newBuilder()
                      .setName("epsilon")
                      .setType(AttributeProto.AttributeType.FLOAT)
                      .setF((float) bn.eps())));
    } else if (l instanceof AvgPool ap) {
      g.addNode(
          pool("AveragePool", n, ap.input(), ap.window()).toBuilder()
              .addAttribute(intAttr("count_include_pad", ap.countIncludePad() ? 1 : 0)));
    } else if (l instanceof MaxPool mp && mp.zeroPads()) {
      throw new IllegalArgumentException(
          "layer '"
              + n
              + "': a max-pool over zero padding has no"
              + " single ONNX node; export it as Pad + MaxPool is not implemented");
    } else if (l instanceof MaxPool mp) {
      NodeProto.Builder b = pool("MaxPool", n, mp.input(), mp.window()).toBuilder();
      int d = mp.window().dilation();
      g.addNode(b.addAttribute(intsAttr("dilations", d, d)));
    } else if (l instanceof PolyAct pa) {
      polyAct(model, pa, g);
    } else if (l instanceof Softmax sm) {
      g.addNode(
          node(sm.log() ? "LogSoftmax" : "Softmax", n, List.of(sm.input()), n).toBuilder()
              .addAttribute(intAttr("axis", 1)));
    } else if (l instanceof GlobalAvgPool gp) {
      g.addNode(node("GlobalAveragePool", n, List.of(gp.input()), n));
    } else if (l instanceof Add a) {
      g.addNode(node("Add", n, List.of(a.left(), a.right()), n));
    } else if (l instanceof Flatten f) {
      g.addNode(
          node("Flatten", n, List.of(f.input()), n).toBuilder().addAttribute(intAttr("axis", 1)));
    } else if (l instanceof Relu r) {
      g.addNode(node("Relu", n, List.of(r.input()), n));
    } else {
      throw new IllegalArgumentException("cannot export layer type " + l.kind());
    }
  }

  private static void conv(Conv2d c, String out, GraphProto.Builder g) {
    String n = c.name();
    g.addInitializer(
        OnnxTensors.floats(
            n + ".weight", c.weight(), c.outChannels(), c.inChannels(), c.kernelH(), c.kernelW()));
    g.addInitializer(OnnxTensors.floats(n + ".bias", c.bias(), c.outChannels()));
    int p = c.padding();
    int s = c.stride();
    g.addNode(
        node("Conv", out, List.of(c.input(), n + ".weight", n + ".bias"), out).toBuilder()
            .addAttribute(intsAttr("kernel_shape", c.kernelH(), c.kernelW()))
            .addAttribute(intsAttr("strides", s, s))
            .addAttribute(intsAttr("pads", p, p, p, p)));
  }

  private static NodeProto pool(String op, String n, String in, PoolWindow w) {
    int k = w.kernel();
    int s = w.stride();
    int[] p = w.pads();
    return node(op, n, List.of(in), n).toBuilder()
        .addAttribute(intsAttr("kernel_shape", k, k))
        .addAttribute(intsAttr("strides", s, s))
        .addAttribute(intsAttr("pads", p[0], p[1], p[2], p[3]))
        .addAttribute(intAttr("ceil_mode", w.ceilMode() ? 1 : 0))
        .build();
  }

  /** {@code outScale · (scale · x + shift)^degree} as Mul → Add → Pow → Mul. */
  private static void polyAct(Model model, PolyAct pa, GraphProto.Builder g) {
    String n = pa.name();
    int[] in = model.shape(pa.input());
    String scaled = n + "/scale";
    g.addInitializer(param(n + ".scale", pa.scale(), in));
    g.addNode(node("Mul", scaled, List.of(pa.input(), n + ".scale"), scaled));
    String shifted = n + "/shift";
    g.addInitializer(param(n + ".shift", pa.shift(), in));
    g.addNode(node("Add", shifted, List.of(scaled, n + ".shift"), shifted));
    String power = n + "/pow";
    g.addInitializer(OnnxTensors.floats(n + ".degree", new double[] {pa.degree()}));
    g.addNode(node("Pow", power, List.of(shifted, n + ".degree"), power));
    g.addInitializer(param(n + ".outScale", pa.outScale(), in));
    g.addNode(node("Mul", n, List.of(power, n + ".outScale"), n));
  }

  /** A per-tensor ([1]) or per-channel ([C, 1, 1] or [C]) parameter that broadcasts over NCHW. */
  private static TensorProto param(String name, double[] v, int[] in) {
    if (v.length == 1) {
      return OnnxTensors.floats(name, v, 1);
    }
    return in.length == 3
        ? OnnxTensors.floats(name, v, v.length, 1, 1)
        : OnnxTensors.floats(name, v, v.length);
  }

  private static NodeProto node(String op, String name, List<String> inputs, String output) {
    return NodeProto.newBuilder()
        .setOpType(op)
        .setName(name)
        .addAllInput(inputs)
        .addOutput(output)
        .build();
  }

  private static AttributeProto intAttr(String name, long v) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(v)
        .build();
  }

  private static AttributeProto intsAttr(String name, long... vs) {
    AttributeProto.Builder b =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : vs) {
      b.addInts(v);
    }
    return b.build();
  }

  private static ValueInfoProto valueInfo(String name, int[] shape) {
    long[] dims = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] = shape[i];
    }
    return valueInfo(name, "N", dims);
  }

  /**
   * A float tensor {@code name} of shape {@code [batch, perSample...]}, the batch dimension the
   * symbol {@code batch} (tests build their probe graphs with it too).
   */
  static ValueInfoProto valueInfo(String name, String batch, long... perSample) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
    for (long d : perSample) {
      s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE)
                        .setShape(s)))
        .build();
  }
}
