package org.polyshare.models.zoo;

import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.polyshare.models.calib.Calibrator;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.onnx.ModelSource;

/**
 * The model zoo. Every model comes in a {@code -pkn} and a {@code -relu} variant of the same
 * architecture: where the ReLU variant has conv (+ BatchNorm) + ReLU, the PKN variant has one
 * {@link PolyKerv} (the BatchNorm folded into its conv); max-pools are average pools in both.
 *
 * <p>Weights are random (He-normal from a fixed seed, so a name always gives the same model) and
 * then {@linkplain Calibrator calibrated} on random sample inputs so activations stay bounded.
 */
public final class Zoo {
  private Zoo() {}

  /** cp of every zoo PolyKerv. */
  public static final double CP = 1.0;

  private static final long SEED = 0x5eed_2026L;

  /** Sample inputs the zoo calibrates on: more for small nets (cheap, few values per channel). */
  public static int calibrationSamples(Model m) {
    return m.inputSize() <= 1024 ? 32 : 6;
  }

  /**
   * The inputs the zoo's weights are {@linkplain Calibrator calibrated} on: {@link
   * #calibrationSamples} N(0, 1) draws from a fixed seed. They depend on the input shape only, so a
   * zoo model exported to ONNX and read back has the same set.
   */
  public static double[][] calibrationInputs(Model m) {
    return sampleInputs(m, calibrationSamples(m), SEED + 1);
  }

  public record Entry(String name, String description, Supplier<Model> architecture) {}

  private static final ImmutableMap<String, Entry> ENTRIES;

  static {
    ImmutableMap.Builder<String, Entry> b = ImmutableMap.builder();
    for (boolean pkn : new boolean[] {true, false}) {
      String v = pkn ? "pkn" : "relu";
      put(
          b,
          "resnet18-" + v,
          "ResNet-18, CIFAR form (3x32x32 -> 10)",
          () -> Architectures.resnet18(pkn));
      put(b, "vgg16-" + v, "VGG-16, CIFAR form (3x32x32 -> 10)", () -> Architectures.vgg16(pkn));
      put(b, "lenet5-" + v, "LeNet-5 (1x28x28 -> 10)", () -> Architectures.lenet5(pkn));
      put(b, "tiny-" + v, "tiny test net (1x8x8 -> 10)", () -> Architectures.tiny(pkn));
    }
    ENTRIES = b.buildOrThrow();
  }

  private static void put(
      ImmutableMap.Builder<String, Entry> b, String n, String d, Supplier<Model> s) {
    b.put(n, new Entry(n, d, s));
  }

  public static List<String> names() {
    return ENTRIES.keySet().asList();
  }

  public static Entry entry(String name) {
    Entry e = ENTRIES.get(name);
    if (e == null) {
      throw new IllegalArgumentException(
          "unknown model '" + name + "'; known models: " + String.join(", ", names()));
    }
    return e;
  }

  /**
   * The architecture with zero weights (shapes only): enough for a correlation plan. A name ending
   * in {@code .onnx} is a user's file ({@link ModelSource}).
   */
  public static Model architecture(String name) {
    if (ModelSource.isFile(name)) {
      return ModelSource.architecture(name);
    }
    return entry(name).architecture().get();
  }

  /** The model with calibrated random weights; a {@code .onnx} file with its own weights. */
  public static Model load(String name) {
    if (ModelSource.isFile(name)) {
      return ModelSource.readFile(name);
    }
    Model m = architecture(name);
    return Calibrator.calibrate(randomize(m, SEED), calibrationInputs(m));
  }

  /** He-normal weights, zero biases, from {@code seed}. */
  public static Model randomize(Model m, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Model out = m;
    for (Layer l : m.layers()) {
      if (l instanceof Conv2d c) {
        out = out.replace(c.withParams(he(c, rnd), new double[c.outChannels()]));
      } else if (l instanceof PolyKerv p) {
        Conv2d c = p.conv();
        out = out.replace(p.withConv(c.withParams(he(c, rnd), new double[c.outChannels()])));
      } else if (l instanceof Linear lin) {
        double[] w = gauss(rnd, lin.weight().length, Math.sqrt(2.0 / lin.inFeatures()));
        out = out.replace(lin.withParams(w, new double[lin.outFeatures()]));
      }
    }
    return out;
  }

  private static double[] he(Conv2d c, SplittableRandom rnd) {
    int fanIn = c.inChannels() * c.kernelH() * c.kernelW();
    return gauss(rnd, c.weight().length, Math.sqrt(2.0 / fanIn));
  }

  private static double[] gauss(SplittableRandom rnd, int n, double sd) {
    double[] v = new double[n];
    for (int i = 0; i < n; i += 2) {
      // Box-Muller
      double u1 = 1 - rnd.nextDouble();
      double u2 = rnd.nextDouble();
      double r = Math.sqrt(-2 * Math.log(u1));
      v[i] = sd * r * Math.cos(2 * Math.PI * u2);
      if (i + 1 < n) {
        v[i + 1] = sd * r * Math.sin(2 * Math.PI * u2);
      }
    }
    return v;
  }

  /** {@code count} inputs with i.i.d. N(0, 1) values (normalized-image statistics). */
  public static double[][] sampleInputs(Model m, int count, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[][] xs = new double[count][];
    for (int i = 0; i < count; i++) {
      xs[i] = gauss(rnd, m.inputSize(), 1);
    }
    return xs;
  }
}
