package org.polyshare.models.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Flatten;
import org.polyshare.models.graph.Linear;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.onnx.proto.OnnxProto.AttributeProto;
import org.polyshare.models.onnx.proto.OnnxProto.GraphProto;
import org.polyshare.models.onnx.proto.OnnxProto.ModelProto;
import org.polyshare.models.onnx.proto.OnnxProto.NodeProto;
import org.polyshare.models.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.polyshare.models.onnx.proto.OnnxProto.ValueInfoProto;

/** Import of graphs shaped like PyTorch exports, checked against ONNX Runtime; error messages. */
class OnnxImporterTest {

  static double[] rand(SplittableRandom r, int n, double s) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (s * r.nextDouble(-1, 1));
    }
    return v;
  }

  static NodeProto node(String op, String out, String... in) {
    return NodeProto.newBuilder()
        .setOpType(op)
        .setName(out + "_node")
        .addOutput(out)
        .addAllInput(List.of(in))
        .build();
  }

  static AttributeProto ints(String name, long... vs) {
    AttributeProto.Builder b =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : vs) {
      b.addInts(v);
    }
    return b.build();
  }

  static ValueInfoProto value(String name, long... dims) {
    return OnnxExporter.valueInfo(name, "batch", dims);
  }

  /**
   * conv → Add(per-channel cp [1,C,1,1]) → Mul(x, x) → Dropout → AveragePool → Conv → Pow(Constant
   * 3) → Reshape([N,-1]) → MatMul → Add(bias) → Identity; the shapes PyTorch's exporter emits.
   */
  static ModelProto pytorchStyle() {
    SplittableRandom r = new SplittableRandom(3);
    GraphProto.Builder g = GraphProto.newBuilder().setName("torch_like");
    g.addInput(value("x", 2, 6, 6));
    g.addInitializer(OnnxTensors.floats("w1", rand(r, 3 * 2 * 9, 0.4), 3, 2, 3, 3));
    g.addInitializer(OnnxTensors.floats("b1", rand(r, 3, 0.1), 3));
    g.addInitializer(OnnxTensors.floats("cp", new double[] {0.5, -0.25, 1.0}, 1, 3, 1, 1));
    g.addInitializer(OnnxTensors.floats("w2", rand(r, 4 * 3, 0.5), 4, 3, 1, 1));
    g.addInitializer(OnnxTensors.int64s("shape", new long[] {0, -1}, 2));
    g.addInitializer(OnnxTensors.floats("wm", rand(r, 36 * 5, 0.3), 36, 5));
    g.addInitializer(OnnxTensors.floats("bm", rand(r, 5, 0.1), 5));
    g.addNode(
        node("Conv", "c1", "x", "w1", "b1").toBuilder()
            .addAttribute(ints("pads", 1, 1, 1, 1))
            .addAttribute(ints("kernel_shape", 3, 3)));
    g.addNode(node("Add", "c1_shift", "c1", "cp"));
    g.addNode(node("Mul", "c1_sq", "c1_shift", "c1_shift"));
    g.addNode(node("Dropout", "drop", "c1_sq"));
    g.addNode(
        node("AveragePool", "pool", "drop").toBuilder()
            .addAttribute(ints("kernel_shape", 2, 2))
            .addAttribute(ints("strides", 2, 2)));
    g.addNode(node("Conv", "c2", "pool", "w2"));
    g.addNode(
        NodeProto.newBuilder()
            .setOpType("Constant")
            .addOutput("three")
            .addAttribute(
                AttributeProto.newBuilder()
                    .setName("value")
                    .setType(AttributeProto.AttributeType.TENSOR)
                    .setT(OnnxTensors.floats("", new double[] {3}))));
    g.addNode(node("Pow", "c2_cube", "c2", "three"));
    g.addNode(node("Reshape", "flat", "c2_cube", "shape"));
    g.addNode(node("MatMul", "mm", "flat", "wm"));
    g.addNode(node("Add", "logits0", "mm", "bm"));
    g.addNode(node("Identity", "logits", "logits0"));
    g.addOutput(value("logits", 5));
    return ModelProto.newBuilder()
        .setIrVersion(7)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13))
        .setGraph(g)
        .build();
  }

  @Test
  void pytorchStyleGraphImportsAsPolyKervAndMatchesOnnxRuntime() throws Exception {
    ModelProto proto = pytorchStyle();
    Model m = OnnxImporter.fromProto(proto, "x");
    assertEquals(
        List.of("PolyKerv", "AvgPool", "PolyKerv", "Flatten", "Linear"),
        m.layers().stream().map(l -> l.kind()).toList());
    PolyKerv pk1 = (PolyKerv) m.layers().get(0);
    assertEquals(2, pk1.dp());
    assertArrayEquals(new double[] {0.5, -0.25, 1.0}, pk1.cp());
    PolyKerv pk2 = (PolyKerv) m.layers().get(2);
    assertEquals(3, pk2.dp());
    assertArrayEquals(new double[] {0}, pk2.cp());
    assertTrue(m.layers().get(3) instanceof Flatten);
    assertTrue(m.layers().get(4) instanceof Linear);

    SplittableRandom r = new SplittableRandom(9);
    int batch = 3;
    float[] flat = new float[batch * 72];
    double[][] xs = new double[batch][72];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = (float) r.nextDouble(-1, 1);
      xs[i / 72][i % 72] = flat[i];
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(proto.toByteArray(), new OrtSession.SessionOptions());
        OnnxTensor in =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), new long[] {batch, 2, 6, 6});
        OrtSession.Result res = s.run(Map.of("x", in))) {
      float[][] ort = (float[][]) res.get(0).getValue();
      for (int b = 0; b < batch; b++) {
        double[] ours = PlainEvaluator.forward(m, xs[b]);
        for (int k = 0; k < 5; k++) {
          assertEquals(ours[k], ort[b][k], 1e-4 * (1 + Math.abs(ours[k])), "sample " + b);
        }
      }
    }
  }

  @Test
  void gemmWithoutTransposeAndConvWithoutPowerAreImported() {
    SplittableRandom r = new SplittableRandom(4);
    GraphProto.Builder g = GraphProto.newBuilder();
    g.addInput(value("in", 1, 4, 4));
    g.addInitializer(OnnxTensors.floats("w", rand(r, 2 * 9, 1), 2, 1, 3, 3));
    g.addInitializer(OnnxTensors.floats("k", new double[] {0.75}));
    g.addInitializer(OnnxTensors.floats("gw", rand(r, 8 * 3, 1), 8, 3));
    g.addNode(node("Conv", "c", "in", "w"));
    g.addNode(node("Add", "c_plus", "c", "k"));
    g.addNode(node("Flatten", "f", "c_plus"));
    g.addNode(node("Gemm", "out", "f", "gw"));
    g.addOutput(value("out", 3));
    Model m = OnnxImporter.fromProto(ModelProto.newBuilder().setGraph(g).build(), "g");
    Conv2d c = (Conv2d) m.layers().get(0);
    assertArrayEquals(new double[] {0.75, 0.75}, c.bias(), 1e-7, "a lone Add(k) is a bias");
    Linear lin = (Linear) m.layers().get(2);
    assertEquals(8, lin.inFeatures());
    assertEquals(3, lin.outFeatures());
  }

  /** Conv → OP(in…) → Flatten → Gemm, with constants k = 0.75 and zero = 0. */
  private static Model convThen(String op, String... in) {
    SplittableRandom r = new SplittableRandom(4);
    GraphProto.Builder g = GraphProto.newBuilder();
    g.addInput(value("in", 1, 4, 4));
    g.addInitializer(OnnxTensors.floats("w", rand(r, 2 * 9, 1), 2, 1, 3, 3));
    g.addInitializer(OnnxTensors.floats("k", new double[] {0.75}));
    g.addInitializer(OnnxTensors.floats("zero", new double[] {0}));
    g.addInitializer(OnnxTensors.floats("gw", rand(r, 8 * 3, 1), 8, 3));
    g.addNode(node("Conv", "c", "in", "w"));
    g.addNode(node(op, "c_op", in));
    g.addNode(node("Flatten", "f", "c_op"));
    g.addNode(node("Gemm", "out", "f", "gw"));
    g.addOutput(value("out", 3));
    return OnnxImporter.fromProto(ModelProto.newBuilder().setGraph(g).build(), "g");
  }

  @Test
  void aConstantIsFoundInEitherOperandOfAddAndMul() {
    double[] x = rand(new SplittableRandom(5), 16, 1);
    double[] xk = PlainEvaluator.forward(convThen("Mul", "c", "k"), x);
    for (String[] in : new String[][] {{"c", "k"}, {"k", "c"}}) {
      Conv2d add = (Conv2d) convThen("Add", in).layers().get(0);
      assertArrayEquals(new double[] {0.75, 0.75}, add.bias(), 1e-7, String.join(",", in));
      assertArrayEquals(xk, PlainEvaluator.forward(convThen("Mul", in), x), 1e-12);
    }
    double[] plain = PlainEvaluator.forward(convThen("Add", "c", "zero"), x);
    for (int i = 0; i < 3; i++) {
      assertEquals(0.75 * plain[i], xk[i], 1e-9, "Mul(k) scales the conv by k");
    }
    for (String op : new String[] {"Add", "Mul"}) {
      OnnxFormatException e =
          assertThrows(OnnxFormatException.class, () -> convThen(op, "c", "k", "k"));
      assertTrue(e.getMessage().contains("must have 2 inputs"), e.getMessage());
    }
    OnnxFormatException two =
        assertThrows(OnnxFormatException.class, () -> convThen("Mul", "c", "in"));
    assertTrue(two.getMessage().contains("two different activations"), two.getMessage());
  }

  @Test
  void unsupportedOpIsAnErrorNamingTheNodeAndTheOp() {
    ModelProto p = pytorchStyle();
    GraphProto.Builder g = p.getGraph().toBuilder();
    g.setNode(3, node("Softmax", "drop", "c1_sq"));
    OnnxFormatException e =
        assertThrows(
            OnnxFormatException.class,
            () -> OnnxImporter.fromProto(p.toBuilder().setGraph(g).build(), "x"));
    assertTrue(
        e.getMessage().contains("drop_node") && e.getMessage().contains("Softmax"), e.getMessage());
  }

  @Test
  void malformedFilesAreErrorsNotStackTraces() {
    OnnxFormatException e1 =
        assertThrows(
            OnnxFormatException.class, () -> OnnxImporter.read(new byte[] {1, 2, 3, 4, 5}, "junk"));
    assertTrue(e1.getMessage().contains("not a valid ONNX model"), e1.getMessage());
    byte[] good = pytorchStyle().toByteArray();
    byte[] cut = java.util.Arrays.copyOf(good, good.length / 2);
    assertThrows(OnnxFormatException.class, () -> OnnxImporter.read(cut, "cut"));
    assertThrows(OnnxFormatException.class, () -> OnnxImporter.read(new byte[0], "empty"));
    // a weight whose raw data is shorter than its shape says
    ModelProto p = pytorchStyle();
    GraphProto.Builder g = p.getGraph().toBuilder();
    g.setInitializer(
        0, g.getInitializer(0).toBuilder().setRawData(ByteString.copyFrom(new byte[8])));
    OnnxFormatException e2 =
        assertThrows(
            OnnxFormatException.class,
            () -> OnnxImporter.fromProto(p.toBuilder().setGraph(g).build(), "x"));
    assertTrue(e2.getMessage().contains("w1"), e2.getMessage());
  }
}
