package org.polyshare.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.proto.OnnxProto.ModelProto;
import org.polyshare.models.onnx.proto.OnnxProto.NodeProto;
import org.polyshare.models.onnx.proto.OnnxProto.TensorProto;

/** Folding a constant into the layer before it only when nothing else reads that layer. */
class OnnxFoldingTest {
  /**
   * y = conv(x); z = Identity(y); a = z + cp; out = y + a. The Add(cp) reads z once, but y is also
   * read by the residual Add, so cp must not go into the conv's bias.
   */
  @Test
  void aConstantIsNotFoldedIntoALayerThatAnAliasHidesAnotherReaderOf() throws Exception {
    List<TensorProto> inits =
        List.of(
            OnnxAttributesTest.fl("w", OnnxAttributesTest.rand(1, 2 * 2 * 9), 2, 2, 3, 3),
            OnnxAttributesTest.fl("cp", new double[] {0.75}, 1));
    NodeProto conv =
        OnnxAttributesTest.node(
            "Conv", "c", List.of("x", "w"), OnnxAttributesTest.ints("pads", 1, 1, 1, 1));
    NodeProto ident = OnnxAttributesTest.node("Identity", "z", List.of("c"));
    NodeProto add = OnnxAttributesTest.node("Add", "a", List.of("z", "cp"));
    NodeProto res = OnnxAttributesTest.node("Add", "y", List.of("c", "a"));
    ModelProto m =
        OnnxAttributesTest.model(
            List.of(conv, ident, add, res), inits, OnnxAttributesTest.input("x", 2, 4, 4), 13);
    Model ours = OnnxImporter.fromProto(m, "alias");
    double[] x = OnnxAttributesTest.rand(2, 32);
    float[] xf = new float[32];
    for (int i = 0; i < 32; i++) {
      xf[i] = (float) x[i];
    }
    double[] got = PlainEvaluator.forward(ours, x);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(m.toByteArray(), new OrtSession.SessionOptions());
        OnnxTensor in =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(xf), new long[] {1, 2, 4, 4});
        OrtSession.Result r = s.run(Map.of("x", in))) {
      FloatBuffer want = ((OnnxTensor) r.get(0)).getFloatBuffer();
      for (int i = 0; i < got.length; i++) {
        assertEquals(want.get(i), got[i], 1e-5, "output " + i + " of " + Arrays.toString(got));
      }
    }
  }
}
