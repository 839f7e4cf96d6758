package org.polyshare.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.EveryKindStem;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.zoo.Zoo;
import org.polyshare.models.zoo.ZooCache;

/**
 * ONNX Runtime is the outside oracle: every zoo model, exported with its weights, gives in ORT the
 * outputs our plaintext evaluator gives on the re-imported model (same float32 weights), and the
 * re-imported model is the original up to float32 rounding of the weights.
 */
class OnnxRuntimeOracleTest {
  private static OrtEnvironment env;

  @BeforeAll
  static void start() {
    env = OrtEnvironment.getEnvironment();
  }

  @AfterAll
  static void stop() {
    // the environment is a process-wide singleton; sessions are closed per test
  }

  /** Per-channel cp, dp = 3, a BatchNorm after a PolyKerv, residual Add, ReLU, MaxPool, GAP. */
  @org.junit.jupiter.api.Test
  void everyLayerKindExportsAndRunsTheSameInOnnxRuntime() throws Exception {
    Model arch =
        EveryKindStem.builder("kinds")
            .maxPool("mp", 2, 2)
            .avgPool("ap", 2, 2)
            .globalAvgPool("gap")
            .flatten("flat")
            .linear("fc", 10)
            .build();
    Model m =
        org.polyshare.models.calib.Calibrator.calibrate(
            Zoo.randomize(arch, 8), Zoo.sampleInputs(arch, 16, 9));
    compareWithOrt("kinds", m, OnnxExporter.toBytes(m), 4);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tiny-pkn",
        "tiny-relu",
        "lenet5-pkn",
        "lenet5-relu",
        "resnet18-pkn",
        "resnet18-relu",
        "vgg16-pkn",
        "vgg16-relu"
      })
  void exportedModelRunsTheSameInOnnxRuntime(String name) throws Exception {
    Model model = ZooCache.get(name);
    byte[] onnx = OnnxExporter.toBytes(model);
    Model back = OnnxImporter.read(onnx, name);
    assertEquals(model.layers().size(), back.layers().size(), "layer count after round trip");
    for (int i = 0; i < model.layers().size(); i++) {
      Layer a = model.layers().get(i);
      Layer b = back.layers().get(i);
      assertEquals(a.kind(), b.kind(), "layer " + i);
      assertEquals(a.name(), b.name(), "layer " + i);
      if (a instanceof PolyKerv pa) {
        assertEquals(pa.dp(), ((PolyKerv) b).dp());
      }
    }
    int batch = name.startsWith("resnet") || name.startsWith("vgg") ? 1 : 8;
    compareWithOrt(name, back, onnx, batch);
    double[][] xs = Zoo.sampleInputs(model, 1, 7);
    double[] a = PlainEvaluator.forward(model, xs[0]);
    double[] c = PlainEvaluator.forward(back, xs[0]);
    double scale = 0;
    for (double v : a) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int k = 0; k < a.length; k++) {
      assertEquals(a[k], c[k], 1e-4 * (1 + scale), name + ": float32 weights change logit " + k);
    }
  }

  /** ORT on the ONNX bytes vs our plaintext evaluator on {@code model}, float tolerance. */
  private static void compareWithOrt(String name, Model model, byte[] onnx, int batch)
      throws Exception {
    double[][] xs = Zoo.sampleInputs(model, batch, 7);
    float[] flat = new float[batch * model.inputSize()];
    for (int i = 0; i < batch; i++) {
      for (int j = 0; j < model.inputSize(); j++) {
        xs[i][j] = (float) xs[i][j];
        flat[i * model.inputSize() + j] = (float) xs[i][j];
      }
    }
    long[] shape = new long[model.inputShape().length + 1];
    shape[0] = batch;
    for (int i = 0; i < model.inputShape().length; i++) {
      shape[i + 1] = model.inputShape()[i];
    }
    float[][] ort;
    try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
        OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), shape);
        OrtSession.Result r = session.run(Map.of(Model.INPUT, in))) {
      ort = (float[][]) r.get(0).getValue();
    }
    for (int i = 0; i < batch; i++) {
      double[] ours = PlainEvaluator.forward(model, xs[i]);
      double scale = 0;
      for (double v : ours) {
        scale = Math.max(scale, Math.abs(v));
      }
      // float32 arithmetic in ORT vs double here: a few float ulps per layer, relative
      double tol = 1e-4 * (1 + scale);
      for (int k = 0; k < ours.length; k++) {
        assertEquals(ours[k], ort[i][k], tol, name + " sample " + i + " logit " + k);
      }
      assertTrue(scale > 1e-3, "logits are not all zero");
    }
  }
}
