package org.polyshare.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.google.common.primitives.Floats;
import com.google.common.primitives.Longs;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.ConstantFolder.Tensor;
import org.polyshare.models.onnx.proto.OnnxProto.AttributeProto;
import org.polyshare.models.onnx.proto.OnnxProto.AttributeProto.AttributeType;
import org.polyshare.models.onnx.proto.OnnxProto.GraphProto;
import org.polyshare.models.onnx.proto.OnnxProto.ModelProto;
import org.polyshare.models.onnx.proto.OnnxProto.NodeProto;
import org.polyshare.models.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.polyshare.models.onnx.proto.OnnxProto.TensorProto;
import org.polyshare.models.onnx.proto.OnnxProto.TypeProto;
import org.polyshare.models.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * The attribute walk: {@code spec-attributes.txt} (generated from the onnx package by {@code
 * make_spec_attributes.py}) lists every attribute the ONNX spec defines for each supported op at
 * opsets 7–18. Each one is either refused by name — the error names node, op, attribute and value —
 * or implemented, and then a probe here sets it to a non-default value and checks the import
 * against ONNX Runtime (or, for ops folded at import, {@link ConstantFolder} against ONNX Runtime
 * running the node), or that the value is refused by name. An attribute in the list with no probe
 * fails the test, so regenerating the list after an onnx upgrade cannot let a new attribute slip
 * through.
 */
class OnnxAttributesTest {
  private static final String NODE = "probe_node";

  /** op → attribute → {first, last} opset. */
  static Map<String, Map<String, int[]>> spec() throws IOException {
    Map<String, Map<String, int[]>> r = new TreeMap<>();
    try (InputStream in =
        OnnxAttributesTest.class.getResourceAsStream("/onnx/spec-attributes.txt")) {
      assertNotNull(in, "spec-attributes.txt");
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split(" ");
        Map<String, int[]> attrs = r.computeIfAbsent(f[0], k -> new TreeMap<>());
        if (!f[1].equals("-")) {
          attrs.put(f[1], new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])});
        }
      }
    }
    return r;
  }

  @Test
  void theSpecListCoversExactlyTheSupportedOpsAndTheTableNamesOnlySpecAttributes()
      throws IOException {
    Map<String, Map<String, int[]>> spec = spec();
    assertEquals(
        new TreeSet<>(OnnxImporter.SUPPORTED_OPS),
        new TreeSet<>(spec.keySet()),
        "supported ops vs spec-attributes.txt: add the op to supported_ops.txt and rerun"
            + " make_spec_attributes.py");
    OnnxAttributes.IMPLEMENTED.forEach(
        (op, attrs) -> {
          assertTrue(spec.containsKey(op), "IMPLEMENTED names op " + op + " that is not supported");
          for (String a : attrs) {
            assertTrue(
                spec.get(op).containsKey(a), op + "." + a + " is not an attribute of the spec");
          }
        });
  }

  @Test
  void everySpecAttributeIsImplementedOrRefusedByName() throws Exception {
    Map<String, Probe> probes = probes();
    List<String> walked = new ArrayList<>();
    for (Map.Entry<String, Map<String, int[]>> op : spec().entrySet()) {
      for (Map.Entry<String, int[]> at : op.getValue().entrySet()) {
        String key = op.getKey() + "." + at.getKey();
        boolean implemented =
            OnnxAttributes.IMPLEMENTED.getOrDefault(op.getKey(), Set.of()).contains(at.getKey());
        if (!implemented) {
          AttributeProto a =
              AttributeProto.newBuilder()
                  .setName(at.getKey())
                  .setType(AttributeType.STRING)
                  .setS(ByteString.copyFromUtf8("probe"))
                  .build();
          NodeProto n =
              NodeProto.newBuilder()
                  .setOpType(op.getKey())
                  .setName(NODE)
                  .addInput("x")
                  .addOutput("y")
                  .addAttribute(a)
                  .build();
          assertRefusedByName(
              key,
              a,
              () ->
                  OnnxImporter.fromProto(
                      model(List.of(n), List.of(), input("x", 2, 3), at.getValue()[1]), "p"));
          walked.add(key + " refused");
          continue;
        }
        Probe p = probes.get(key);
        assertNotNull(p, "no probe for the implemented attribute " + key + ": add one");
        walked.add(key + " " + p.run(key));
      }
    }
    Set<String> unused = new TreeSet<>(probes.keySet());
    for (String w : walked) {
      unused.remove(w.substring(0, w.indexOf(' ')));
    }
    assertTrue(unused.isEmpty(), "probes for attributes not in the spec list: " + unused);
    System.out.println("attribute walk:\n  " + String.join("\n  ", walked));
  }

  // ---- probes ---------------------------------------------------------------------------------

  interface Probe {
    /** Runs the probe; returns "matches ORT" or "value refused". */
    String run(String key) throws Exception;
  }

  static AttributeProto ints(String name, long... v) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeType.INTS)
        .addAllInts(Longs.asList(v))
        .build();
  }

  static AttributeProto i(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(v).build();
  }

  static AttributeProto f(String name, float v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(v).build();
  }

  static AttributeProto s(String name, String v) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(v))
        .build();
  }

  static AttributeProto t(String name, TensorProto v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.TENSOR).setT(v).build();
  }

  static NodeProto node(String op, String out, List<String> in, AttributeProto... attrs) {
    return NodeProto.newBuilder()
        .setOpType(op)
        .setName(out.equals("y") ? NODE : out + "_node")
        .addOutput(out)
        .addAllInput(in)
        .addAllAttribute(List.of(attrs))
        .build();
  }

  /** The last node of a probe, writing the graph output {@code y}. */
  static NodeProto tail(String op, List<String> in, AttributeProto... attrs) {
    return node(op, "y", in, attrs).toBuilder().setName("tail").build();
  }

  static ValueInfoProto input(String name, long... perSample) {
    return OnnxExporter.valueInfo(name, "N", perSample);
  }

  static ModelProto model(
      List<NodeProto> nodes, List<TensorProto> inits, ValueInfoProto in, int opset) {
    GraphProto.Builder g =
        GraphProto.newBuilder()
            .setName("probe")
            .addInput(in)
            .addAllInitializer(inits)
            .addAllNode(nodes);
    g.addOutput(
        ValueInfoProto.newBuilder()
            .setName(nodes.get(nodes.size() - 1).getOutput(0))
            .setType(
                TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1))));
    return ModelProto.newBuilder()
        .setIrVersion(7)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset))
        .setGraph(g)
        .build();
  }

  static double[] rand(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int k = 0; k < n; k++) {
      v[k] = (float) r.nextDouble(-1, 1);
    }
    return v;
  }

  /**
   * A layer probe: the model imports and gives ONNX Runtime's output on two random samples, or the
   * import is refused naming {@code attr} and its value.
   */
  static Probe layer(int opset, long[] perSample, List<TensorProto> inits, NodeProto... nodes) {
    return key -> {
      ModelProto m = model(List.of(nodes), inits, input("x", perSample), opset);
      AttributeProto a = attrOf(nodes, key.substring(key.indexOf('.') + 1));
      Model ours;
      try {
        ours = OnnxImporter.fromProto(m, "probe");
      } catch (OnnxFormatException e) {
        assertRefusedByName(
            key,
            a,
            () -> {
              throw e;
            });
        return "value " + OnnxAttributes.value(a) + " refused";
      }
      int per = 1;
      for (long d : perSample) {
        per *= (int) d;
      }
      double[] flat = rand(key.hashCode(), 2 * per);
      float[] xf = new float[flat.length];
      for (int k = 0; k < flat.length; k++) {
        xf[k] = (float) flat[k];
      }
      long[] shape = new long[perSample.length + 1];
      shape[0] = 2;
      System.arraycopy(perSample, 0, shape, 1, perSample.length);
      double[][] xs = {Arrays.copyOfRange(flat, 0, per), Arrays.copyOfRange(flat, per, 2 * per)};
      double[][] got = PlainEvaluator.forward(ours, xs);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      // no graph rewrites: ORT's own Pad fusion would check the fused pads against the kernel
      OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
      opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      try (OrtSession s = env.createSession(m.toByteArray(), opts);
          OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(xf), shape);
          OrtSession.Result res = s.run(Map.of("x", in))) {
        double[] want = values((OnnxTensor) res.get(0));
        int outPer = want.length / 2;
        assertEquals(outPer, got[0].length, key + ": per-sample output size");
        for (int k = 0; k < want.length; k++) {
          double g = got[k / outPer][k % outPer];
          assertEquals(want[k], g, 1e-5 * (1 + Math.abs(want[k])), key + ": output " + k);
        }
      }
      return "value " + OnnxAttributes.value(a) + " matches ORT";
    };
  }

  /** A folding probe: {@link ConstantFolder} gives what ORT gives running the node. */
  static Probe fold(int opset, List<TensorProto> ins, NodeProto n) {
    return key -> {
      AttributeProto a = attrOf(new NodeProto[] {n}, key.substring(key.indexOf('.') + 1));
      Map<String, Tensor> consts = new HashMap<>();
      for (TensorProto t : ins) {
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        consts.put(t.getName(), new Tensor(dims, OnnxTensors.toDoubles(t)));
      }
      Tensor ours =
          ConstantFolder.fold(
              n, k -> k < n.getInputCount() ? consts.get(n.getInput(k)) : null, null);
      GraphProto.Builder g = GraphProto.newBuilder().setName("fold").addNode(n);
      Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      for (TensorProto t : ins) {
        g.addInput(
            ValueInfoProto.newBuilder()
                .setName(t.getName())
                .setType(
                    TypeProto.newBuilder()
                        .setTensorType(
                            TypeProto.Tensor.newBuilder().setElemType(t.getDataType()))));
      }
      g.addOutput(ValueInfoProto.newBuilder().setName(n.getOutput(0)));
      ModelProto m =
          ModelProto.newBuilder()
              .setIrVersion(8)
              .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset))
              .setGraph(g)
              .build();
      try (OrtSession s = env.createSession(m.toByteArray(), new OrtSession.SessionOptions())) {
        for (TensorProto t : ins) {
          feeds.put(t.getName(), ortTensor(env, t, consts.get(t.getName())));
        }
        try (OrtSession.Result res = s.run(feeds)) {
          OnnxTensor out = (OnnxTensor) res.get(0);
          assertEquals(
              Arrays.toString(out.getInfo().getShape()),
              Arrays.toString(ours.dims()),
              key + ": shape");
          double[] want = values(out);
          for (int k = 0; k < want.length; k++) {
            assertEquals(want[k], ours.values()[k], 1e-6, key + ": value " + k);
          }
        }
      } finally {
        for (OnnxTensor t : feeds.values()) {
          t.close();
        }
      }
      return "value " + OnnxAttributes.value(a) + " folds as ORT computes";
    };
  }

  private static OnnxTensor ortTensor(OrtEnvironment env, TensorProto t, Tensor v)
      throws Exception {
    if (t.getDataType() == TensorProto.DataType.INT64_VALUE) {
      long[] l = new long[v.values().length];
      for (int k = 0; k < l.length; k++) {
        l[k] = (long) v.values()[k];
      }
      return OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(l), v.dims());
    }
    float[] fl = new float[v.values().length];
    for (int k = 0; k < fl.length; k++) {
      fl[k] = (float) v.values()[k];
    }
    return OnnxTensor.createTensor(env, FloatBuffer.wrap(fl), v.dims());
  }

  private static double[] values(OnnxTensor t) {
    TensorInfo info = t.getInfo();
    int n = (int) info.getNumElements();
    double[] r = new double[n];
    switch (info.type) {
      case FLOAT -> {
        FloatBuffer b = t.getFloatBuffer();
        for (int k = 0; k < n; k++) {
          r[k] = b.get(k);
        }
      }
      case INT64 -> {
        java.nio.LongBuffer b = t.getLongBuffer();
        for (int k = 0; k < n; k++) {
          r[k] = b.get(k);
        }
      }
      case INT32 -> {
        java.nio.IntBuffer b = t.getIntBuffer();
        for (int k = 0; k < n; k++) {
          r[k] = b.get(k);
        }
      }
      default -> fail("unexpected ORT output type " + info.type);
    }
    return r;
  }

  private static AttributeProto attrOf(NodeProto[] nodes, String name) {
    for (NodeProto n : nodes) {
      if (n.getName().equals(NODE)) {
        for (AttributeProto a : n.getAttributeList()) {
          if (a.getName().equals(name)) {
            return a;
          }
        }
      }
    }
    throw new AssertionError("the probe node sets no attribute " + name);
  }

  interface Import {
    void run() throws Exception;
  }

  static void assertRefusedByName(String key, AttributeProto a, Import importer) {
    try {
      importer.run();
    } catch (OnnxFormatException e) {
      String msg = e.getMessage();
      String op = key.substring(0, key.indexOf('.'));
      for (String part :
          new String[] {
            "'" + NODE + "'",
            "(op " + op + ")",
            "attribute '" + a.getName() + "'",
            OnnxAttributes.value(a)
          }) {
        assertTrue(msg.contains(part), key + ": the refusal should name " + part + ": " + msg);
      }
      return;
    } catch (Exception e) {
      throw new AssertionError(key + ": expected an OnnxFormatException, got " + e, e);
    }
    fail(key + ": the attribute was accepted without a probe proving it is implemented");
  }

  static TensorProto fl(String name, double[] v, long... dims) {
    return OnnxTensors.floats(name, v, dims);
  }

  static TensorProto i64(String name, long[] v, long... dims) {
    return OnnxTensors.int64s(name, v, dims);
  }

  static Map<String, Probe> probes() {
    Map<String, Probe> p = new TreeMap<>();
    long[] img = {2, 6, 6};
    List<TensorProto> convW =
        List.of(fl("w", rand(1, 3 * 2 * 9), 3, 2, 3, 3), fl("b", rand(2, 3), 3));
    List<String> conv = List.of("x", "w", "b");
    p.put(
        "Conv.auto_pad",
        layer(13, img, convW, node("Conv", "y", conv, s("auto_pad", "SAME_UPPER"))));
    p.put(
        "Conv.dilations", layer(13, img, convW, node("Conv", "y", conv, ints("dilations", 2, 2))));
    p.put(
        "Conv.group",
        layer(
            13,
            img,
            List.of(fl("w", rand(1, 2 * 9), 2, 1, 3, 3)),
            node("Conv", "y", List.of("x", "w"), i("group", 2))));
    p.put(
        "Conv.kernel_shape",
        layer(13, img, convW, node("Conv", "y", conv, ints("kernel_shape", 3, 3))));
    p.put("Conv.pads", layer(13, img, convW, node("Conv", "y", conv, ints("pads", 1, 1, 1, 1))));
    p.put("Conv.strides", layer(13, img, convW, node("Conv", "y", conv, ints("strides", 2, 2))));

    long[] vec = {4};
    List<TensorProto> gemmW = List.of(fl("w", rand(3, 4 * 3), 4, 3), fl("c", rand(4, 3), 3));
    List<TensorProto> gemmWt = List.of(fl("w", rand(3, 4 * 3), 3, 4), fl("c", rand(4, 3), 3));
    List<String> gemm = List.of("x", "w", "c");
    p.put("Gemm.alpha", layer(13, vec, gemmW, node("Gemm", "y", gemm, f("alpha", 0.5f))));
    p.put("Gemm.beta", layer(13, vec, gemmW, node("Gemm", "y", gemm, f("beta", 2f))));
    p.put("Gemm.transA", layer(13, vec, gemmW, node("Gemm", "y", gemm, i("transA", 1))));
    p.put("Gemm.transB", layer(13, vec, gemmWt, node("Gemm", "y", gemm, i("transB", 1))));

    List<TensorProto> bn =
        List.of(
            fl("g", new double[] {0.5, 2}, 2),
            fl("be", rand(5, 2), 2),
            fl("mu", rand(6, 2), 2),
            fl("var", new double[] {0.5, 1.5}, 2));
    List<String> bnIn = List.of("x", "g", "be", "mu", "var");
    p.put(
        "BatchNormalization.epsilon",
        layer(13, img, bn, node("BatchNormalization", "y", bnIn, f("epsilon", 0.1f))));
    p.put(
        "BatchNormalization.momentum",
        layer(13, img, bn, node("BatchNormalization", "y", bnIn, f("momentum", 0.3f))));
    p.put(
        "BatchNormalization.spatial",
        layer(7, img, bn, node("BatchNormalization", "y", bnIn, i("spatial", 0))));
    p.put(
        "BatchNormalization.training_mode",
        layer(14, img, bn, node("BatchNormalization", "y", bnIn, i("training_mode", 1))));

    long[] img7 = {2, 7, 7};
    List<String> x = List.of("x");
    AttributeProto k3 = ints("kernel_shape", 3, 3);
    for (String pool : new String[] {"AveragePool", "MaxPool"}) {
      p.put(
          pool + ".auto_pad",
          layer(
              13,
              img7,
              List.of(),
              node(pool, "y", x, k3, ints("strides", 2, 2), s("auto_pad", "SAME_LOWER"))));
      p.put(
          pool + ".ceil_mode",
          layer(
              13,
              img,
              List.of(),
              node(pool, "y", x, k3, ints("strides", 2, 2), i("ceil_mode", 1))));
      p.put(
          pool + ".kernel_shape",
          layer(13, img, List.of(), node(pool, "y", x, ints("kernel_shape", 2, 3))));
      p.put(
          pool + ".pads",
          layer(13, img, List.of(), node(pool, "y", x, k3, ints("pads", 1, 0, 2, 1))));
      p.put(
          pool + ".strides",
          layer(13, img7, List.of(), node(pool, "y", x, k3, ints("strides", 2, 2))));
    }
    p.put(
        "AveragePool.count_include_pad",
        layer(
            13,
            img,
            List.of(),
            node("AveragePool", "y", x, k3, ints("pads", 1, 1, 1, 1), i("count_include_pad", 1))));
    p.put(
        "MaxPool.dilations",
        layer(13, img7, List.of(), node("MaxPool", "y", x, k3, ints("dilations", 2, 2))));
    p.put(
        "MaxPool.storage_order",
        layer(13, img, List.of(), node("MaxPool", "y", x, k3, i("storage_order", 1))));

    p.put("Flatten.axis", layer(13, img, List.of(), node("Flatten", "y", x, i("axis", 2))));
    p.put(
        "Reshape.allowzero",
        layer(
            14,
            img,
            List.of(i64("shape", new long[] {-1, 72}, 2)),
            node("Reshape", "y", List.of("x", "shape"), i("allowzero", 1))));
    p.put(
        "Dropout.ratio",
        layer(
            10,
            img,
            List.of(),
            node("Dropout", "d", x, f("ratio", 0.3f)).toBuilder().setName(NODE).build(),
            tail("Relu", List.of("d"))));
    p.put(
        "Dropout.seed",
        layer(
            13,
            img,
            List.of(),
            node("Dropout", "d", x, i("seed", 5)).toBuilder().setName(NODE).build(),
            tail("Relu", List.of("d"))));
    for (String sm : new String[] {"Softmax", "LogSoftmax"}) {
      p.put(sm + ".axis", layer(11, vec, List.of(), node(sm, "y", x, i("axis", -1))));
    }
    AttributeProto k1 = ints("kernel_shape", 1, 1);
    p.put(
        "Pad.pads",
        layer(
            10,
            img,
            List.of(),
            node("Pad", "pd", x, ints("pads", 0, 0, 1, 2, 0, 0, 1, 2)).toBuilder()
                .setName(NODE)
                .build(),
            tail("AveragePool", List.of("pd"), k1)));
    p.put(
        "Pad.value",
        layer(
            10,
            img,
            List.of(),
            node("Pad", "pd", x, ints("pads", 0, 0, 1, 1, 0, 0, 1, 1), f("value", 0.5f)).toBuilder()
                .setName(NODE)
                .build(),
            tail("AveragePool", List.of("pd"), k1)));
    p.put(
        "Pad.mode",
        layer(
            13,
            img,
            List.of(i64("pads", new long[] {0, 0, 1, 1, 0, 0, 1, 1}, 8)),
            node("Pad", "pd", List.of("x", "pads"), s("mode", "reflect")).toBuilder()
                .setName(NODE)
                .build(),
            tail("AveragePool", List.of("pd"), k1)));

    TensorProto two = fl("", new double[] {2}, 1);
    Map<String, AttributeProto> constants =
        Map.of(
            "value",
            t("value", two),
            "value_float",
            f("value_float", 2f),
            "value_floats",
            floats("value_floats", 2f),
            "value_int",
            i("value_int", 2),
            "value_ints",
            ints("value_ints", 2));
    // integer constants are cast to float first (Mul needs equal types)
    constants.forEach(
        (name, a) ->
            p.put(
                "Constant." + name,
                layer(
                    13,
                    img,
                    List.of(),
                    node("Constant", "k0", List.of(), a).toBuilder().setName(NODE).build(),
                    tail("Cast", List.of("k0"), i("to", 1)).toBuilder().setOutput(0, "k").build(),
                    tail("Mul", List.of("x", "k")).toBuilder().setName("mul").build())));

    TensorProto m34 = fl("m", rand(7, 12), 3, 4);
    p.put(
        "Cast.to",
        fold(
            13,
            List.of(fl("c", new double[] {1.5, -2.7, 0.2}, 3)),
            node("Cast", "y", List.of("c"), i("to", 7))));
    p.put(
        "Concat.axis",
        fold(
            13,
            List.of(m34, fl("n", rand(8, 6), 3, 2)),
            node("Concat", "y", List.of("m", "n"), i("axis", -1))));
    p.put(
        "ConstantOfShape.value",
        fold(
            13,
            List.of(i64("s", new long[] {2, 3}, 2)),
            node("ConstantOfShape", "y", List.of("s"), t("value", fl("", new double[] {3}, 1)))));
    p.put(
        "Gather.axis",
        fold(
            13,
            List.of(m34, i64("ix", new long[] {2, 0, -1}, 3)),
            node("Gather", "y", List.of("m", "ix"), i("axis", 1))));
    TensorProto m4 = fl("m", rand(9, 120), 2, 3, 4, 5);
    p.put("Shape.start", fold(15, List.of(m4), node("Shape", "y", List.of("m"), i("start", 1))));
    p.put("Shape.end", fold(15, List.of(m4), node("Shape", "y", List.of("m"), i("end", -1))));
    TensorProto m131 = fl("m", rand(10, 3), 1, 3, 1);
    p.put(
        "Squeeze.axes",
        fold(11, List.of(m131), node("Squeeze", "y", List.of("m"), ints("axes", 0))));
    p.put(
        "Unsqueeze.axes",
        fold(11, List.of(m34), node("Unsqueeze", "y", List.of("m"), ints("axes", 0, 3))));
    p.put(
        "Transpose.perm",
        fold(
            13,
            List.of(fl("m", rand(11, 24), 2, 3, 4)),
            node("Transpose", "y", List.of("m"), ints("perm", 2, 0, 1))));
    NodeProto slice =
        node(
            "Slice",
            "y",
            List.of("m"),
            ints("starts", 1, -3),
            ints("ends", 3, 100),
            ints("axes", 0, -1));
    for (String a : new String[] {"starts", "ends", "axes"}) {
      p.put("Slice." + a, fold(9, List.of(m34), slice));
    }
    return p;
  }

  static AttributeProto floats(String name, float... v) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeType.FLOATS)
        .addAllFloats(Floats.asList(v))
        .build();
  }
}
