package org.polyshare.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.InProcessSession;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.calib.Headroom;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.secure.RingForward;
import org.polyshare.models.secure.SecureModel;
import org.polyshare.models.secure.SecureOptions;
import org.polyshare.models.secure.SecureResult;
import org.polyshare.models.secure.SecureSession;

/**
 * The PyTorch corpus ({@code models/src/test/python/make_corpus.py}): small PKN, R-PKN and ReLU
 * models written the ways PyTorch users write them, exported by {@code torch.onnx.export} at opsets
 * 11, 13 and 17, with PyTorch's outputs on a fixed batch of two inputs. Every file imports (or, for
 * the unfold kervolution, is refused with a message pointing to {@code nn.Conv2d}); the plaintext
 * reference matches PyTorch to float32 rounding; the int64 forward and the secure evaluator match
 * it to fixed-point error for the models the secure side accepts, and the others are refused by
 * name. When the secure side accepts a model, move it into {@link #SECURE_TODAY}.
 */
class OnnxCorpusTest {
  static final String[] MODELS = {
    "pkn_sequential",
    "pkn_resnet",
    "pkn_shared_cp",
    "rpkn",
    "relu_net",
    "relu_replaced",
    "replaced_per_channel",
    "softmax",
    "log_softmax",
    "maxpool",
    "normalized_input"
  };
  static final int[] OPSETS = {11, 13, 17};

  /** Models the secure lowering ({@code Program.of}) accepts today. */
  static final Set<String> SECURE_TODAY = Set.of(MODELS);

  /**
   * Plaintext: float32 PyTorch against double, relative to the largest output. int64 / secure: f =
   * 16 fixed point (ulp 1.5e-5) through up to five truncations and two squares.
   */
  static final double PLAIN_TOL = 1e-5;

  static final double RING_TOL = 2e-3;

  private static final Map<String, String> SUMMARY = new TreeMap<>();

  record Io(int[] inShape, double[][] inputs, int[] outShape, double[][] outputs) {}

  static Io io(String name) throws IOException {
    try (InputStream in =
        OnnxCorpusTest.class.getResourceAsStream("/onnx/corpus/" + name + ".io")) {
      if (in == null) {
        throw new IOException("corpus file " + name + ".io is missing");
      }
      String[] lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n");
      int[] xs = ints(lines[0]);
      int[] ys = ints(lines[2]);
      return new Io(xs, rows(doubles(lines[1]), xs[0]), ys, rows(doubles(lines[3]), ys[0]));
    }
  }

  private static int[] ints(String line) {
    return Arrays.stream(line.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
  }

  private static double[] doubles(String line) {
    return Arrays.stream(line.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
  }

  /** {@code flat} cut into {@code n} equal rows: a batch, one sample per row. */
  static double[][] rows(double[] flat, int n) {
    double[][] r = new double[n][];
    int per = flat.length / n;
    for (int i = 0; i < n; i++) {
      r[i] = Arrays.copyOfRange(flat, i * per, (i + 1) * per);
    }
    return r;
  }

  static Model load(String file) throws IOException {
    try (InputStream in = OnnxCorpusTest.class.getResourceAsStream("/onnx/corpus/" + file)) {
      if (in == null) {
        throw new IOException("corpus file " + file + " is missing");
      }
      return OnnxImporter.read(in, file);
    }
  }

  /** max |a − b| over all outputs divided by max(1, max |b|). */
  static double relError(double[][] got, double[][] want) {
    double scale = 1;
    double err = 0;
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i].length, got[i].length, "output size of sample " + i);
      for (int j = 0; j < want[i].length; j++) {
        scale = Math.max(scale, Math.abs(want[i][j]));
        err = Math.max(err, Math.abs(got[i][j] - want[i][j]));
      }
    }
    return err / scale;
  }

  static Stream<Arguments> cases() {
    List<Arguments> r = new ArrayList<>();
    for (String m : MODELS) {
      for (int o : OPSETS) {
        r.add(Arguments.of(m, o));
      }
    }
    return r.stream();
  }

  @ParameterizedTest(name = "{0} opset {1}")
  @MethodSource("cases")
  void importsAndMatchesPyTorch(String name, int opset) throws Exception {
    Io io = io(name);
    Model m = load(name + "-opset" + opset + ".onnx");
    assertEquals(io.inShape().length - 1, m.inputShape().length, "input rank");
    double[][] plain = PlainEvaluator.forward(m, io.inputs());
    double ePlain = relError(plain, io.outputs());
    assertTrue(ePlain < PLAIN_TOL, name + ": plaintext differs from PyTorch by " + ePlain);
    // models inspect: every layer (PolyAct, Softmax and padded pools included) has a headroom
    Headroom.Report h = Headroom.measure(m, io.inputs());
    assertEquals(m.layers().size() + 1, h.layers().size(), "headroom rows: input + each layer");
    assertTrue(
        h.tightest().headroomBits() > Headroom.DEFAULT_MARGIN_BITS, name + ": " + h.format());
    String ring;
    String secure;
    if (SECURE_TODAY.contains(name)) {
      double eRing =
          relError(new RingForward(m, io.inputs().length).forward(io.inputs()), io.outputs());
      assertTrue(eRing < RING_TOL, name + ": int64 differs from PyTorch by " + eRing);
      double eSec = relError(secure(m, io.inputs()), io.outputs());
      assertTrue(eSec < RING_TOL, name + ": secure differs from PyTorch by " + eSec);
      ring = String.format("%.1e", eRing);
      secure = String.format("%.1e", eSec);
    } else {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new RingForward(m, io.inputs().length),
              name + " is now accepted by the secure" + " lowering: move it into SECURE_TODAY");
      assertTrue(
          e.getMessage().contains("does not support") && e.getMessage().contains("layer '"),
          "refusal names the layer and says why: " + e.getMessage());
      assertThrows(
          IllegalArgumentException.class,
          () -> SecureModel.compile(m, io.inputs().length),
          "secure compile refuses " + name);
      ring = "refused";
      secure = "refused";
    }
    synchronized (SUMMARY) {
      SUMMARY.put(
          name + " opset " + opset,
          String.format("plain %.1e  int64 %s  secure %s", ePlain, ring, secure));
    }
  }

  /** The fused PolyKerv path is taken where the pattern is there (not a generic PolyAct). */
  @ParameterizedTest(name = "opset {0}")
  @MethodSource("opsets")
  void kervolutionsFuseIntoPolyKerv(int opset) throws Exception {
    for (String name : new String[] {"pkn_sequential", "pkn_resnet", "pkn_shared_cp"}) {
      Model m = load(name + "-opset" + opset + ".onnx");
      long fused = m.layers().stream().filter(l -> l instanceof PolyKerv).count();
      assertTrue(fused >= 2, name + " has " + fused + " PolyKerv layers: " + kinds(m));
    }
  }

  static Stream<Integer> opsets() {
    return Arrays.stream(OPSETS).boxed();
  }

  /**
   * Kervolution written with {@code F.unfold} exports im2col as gathers and a MatMul on the
   * activation; it is refused with a message that says to write {@code nn.Conv2d}.
   */
  @ParameterizedTest(name = "opset {0}")
  @MethodSource("opsets")
  void unfoldKervolutionIsRefusedWithAHint(int opset) {
    OnnxFormatException e =
        assertThrows(OnnxFormatException.class, () -> load("unfold_kerv-opset" + opset + ".onnx"));
    assertTrue(e.getMessage().contains("nn.Conv2d"), e.getMessage());
    assertTrue(e.getMessage().contains("F.unfold"), e.getMessage());
  }

  static String kinds(Model m) {
    StringBuilder s = new StringBuilder();
    for (Layer l : m.layers()) {
      s.append(l.kind()).append(' ');
    }
    return s.toString();
  }

  /** In-process secure inference: party 0 holds the model, party 1 the architecture only. */
  static double[][] secure(Model owner, double[][] inputs) {
    int batch = inputs.length;
    // party 1 compiles what it receives: the architecture's encoding, decoded
    Model clientView = Architecture.decode(Architecture.of(owner).encode()).model();
    assertTrue(
        Architecture.holdsNoWeights(clientView), owner.name() + ": the client view holds weights");
    SecureOptions opt = SecureOptions.defaults();
    SecureModel sm0 = SecureModel.compile(owner, batch, opt);
    SecureModel sm1 = SecureModel.compile(clientView, batch, opt);
    assertEquals(
        sm0.plan(1).sha256Hex(),
        sm1.plan(1).sha256Hex(),
        owner.name() + ": party 1's plan from the architecture differs from party 0's");
    InProcessSession session =
        new InProcessSession(owner.fixedPoint(), opt.truncation(), Duration.ofSeconds(120));
    TwoParties.Result<SecureResult> r =
        session.run(
            p -> {
              SecureSession s = sm0.open(p);
              s.offline();
              return s.online(null);
            },
            p -> {
              SecureSession s = sm1.open(p);
              s.offline();
              return s.online(inputs);
            });
    return r.party1().logits();
  }

  @AfterAll
  static void printSummary() {
    StringBuilder s = new StringBuilder("\nPyTorch corpus, max |error| / max(1, max |y|):\n");
    SUMMARY.forEach((k, v) -> s.append(String.format("  %-32s %s%n", k, v)));
    System.out.println(s);
  }
}
