package org.polyshare.bench.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.ModelSource;
import org.polyshare.models.secure.ReluMode;
import org.polyshare.models.zoo.Zoo;

/**
 * What {@code bench compare} runs, from its options: the two variants of one architecture, the ReLU
 * arms of the {@code -relu} variant, and the test inputs. No protocol here.
 */
final class CompareVariants {
  static final List<String> ARCHITECTURES = List.of("lenet5", "tiny", "resnet18", "vgg16");

  private CompareVariants() {}

  /**
   * {relu, pkn}: the zoo pair of {@code model}, or the user's {@code reluFile} and {@code pknFile}.
   */
  static String[] variants(String model, String reluFile, String pknFile) {
    if (pknFile != null || reluFile != null) {
      if (model != null || pknFile == null || reluFile == null) {
        throw new IllegalArgumentException(
            "give either --model or both --pkn FILE.onnx and" + " --relu FILE.onnx");
      }
      for (String f : new String[] {reluFile, pknFile}) {
        if (!ModelSource.isFile(f)) {
          throw new IllegalArgumentException("--pkn and --relu take ONNX files, got '" + f + "'");
        }
      }
      // absolute: the separate-JVM parties run in another working directory
      return new String[] {
        Path.of(reluFile).toAbsolutePath().toString(), Path.of(pknFile).toAbsolutePath().toString()
      };
    }
    if (model == null) {
      throw new IllegalArgumentException(
          "give --model (lenet5, tiny, resnet18 or vgg16) or"
              + " --pkn FILE.onnx --relu FILE.onnx");
    }
    String arch = architecture(model);
    if (!ARCHITECTURES.contains(arch)) {
      throw new IllegalArgumentException(
          "unknown --model '" + model + "'; use one of " + ARCHITECTURES);
    }
    return new String[] {arch + "-relu", arch + "-pkn"};
  }

  /** The architecture's name: {@code --model} without a variant suffix, or the PKN file's stem. */
  static String architecture(String model, String pknFile) {
    return model != null
        ? architecture(model)
        : Path.of(pknFile).getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
  }

  private static String architecture(String model) {
    return model.toLowerCase(Locale.ROOT).replaceAll("-(relu|pkn)$", "");
  }

  /**
   * The ReLU arms to run, in order: {@code names} parsed (gc, fss), or both when none are given. In
   * process and in separate JVMs alike (the parties take {@code --relu}).
   */
  static List<ReluMode> arms(List<String> names) {
    if (names == null || names.isEmpty()) {
      return List.of(ReluMode.GC, ReluMode.FSS);
    }
    List<ReluMode> out = new ArrayList<>();
    for (String s : names) {
      ReluMode m = ReluMode.parse(s);
      if (out.contains(m)) {
        throw new IllegalArgumentException("--relu-arms names " + s + " twice");
      }
      out.add(m);
    }
    return out;
  }

  /**
   * {@code warmup + measured} batches of {@code batch} random inputs of {@code owner}, clamped to
   * the range party 1 accepts (it refuses values outside the calibrated range): the warm-ups'
   * first, then the measured ones. Measured batch k is draw k of the seed whatever the warm-up
   * count, so every arm measures the same inputs; the warm-ups are the draws after them.
   */
  static List<double[][]> inputs(Model owner, int warmup, int measured, int batch, long seed) {
    Architecture published = Architecture.of(owner);
    List<double[][]> inputs = new ArrayList<>();
    for (int i = 0; i < warmup + measured; i++) {
      int k = i < warmup ? measured + i : i - warmup;
      double[][] xs = Zoo.sampleInputs(owner, batch, seed * 1_000_003L + k);
      for (double[] x : xs) {
        published.inputRange().clamp(x);
      }
      inputs.add(xs);
    }
    return inputs;
  }
}
