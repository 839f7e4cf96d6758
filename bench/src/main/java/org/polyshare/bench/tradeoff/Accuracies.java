package org.polyshare.bench.tradeoff;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.polyshare.bench.accuracy.IdxDataset;
import org.polyshare.bench.compare.ReferenceCheck;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;

/**
 * Where each model's test accuracy comes from: the {@code bench accuracy --json} report of its
 * model file (its secure accuracy), or else the plaintext accuracy computed on the test set of
 * {@code --data} (which {@code bench accuracy} shows the secure one equals, near-ties aside).
 */
final class Accuracies {
  /** One accuracy and a description of its source. */
  record Found(double accuracy, String source) {}

  private record Entry(Path file, String modelFile, double accuracy, String what) {}

  private final List<Entry> reports = new ArrayList<>();
  private final Path data;
  private final IdxDataset dataset;

  Accuracies(List<Path> reportFiles, Path data, IdxDataset dataset) throws IOException {
    for (Path f : reportFiles) {
      if (!Files.isRegularFile(f)) {
        throw new IllegalArgumentException("accuracy report " + f + " does not exist");
      }
      JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
      if (!o.has("secure_accuracy") || !o.has("model")) {
        throw new IllegalArgumentException(
            f + " is not a bench accuracy --json report (no secure_accuracy or model)");
      }
      String what =
          String.format(
              Locale.ROOT,
              "%s: secure, %d %s test images",
              f.getFileName(),
              o.get("images").getAsLong(),
              o.has("dataset") ? o.get("dataset").getAsString() : "MNIST");
      reports.add(
          new Entry(
              f,
              o.has("file") ? o.get("file").getAsString() : "",
              o.get("secure_accuracy").getAsDouble(),
              what));
    }
    this.data = data;
    this.dataset = dataset;
  }

  /**
   * The accuracy of {@code model} (named {@code arg} on the command line): the one report whose
   * model file is {@code arg} or has its file name, else computed on {@code --data}; refuses,
   * naming the model, when two reports match or none does and there is no {@code --data}. The
   * report's model name does not tell models apart: every exported ONNX graph is "torch_jit".
   */
  Found of(String arg, Model model) throws IOException {
    String base = Path.of(arg).getFileName().toString();
    Entry match = null;
    for (Entry e : reports) {
      String reported =
          e.modelFile().isEmpty() ? "" : Path.of(e.modelFile()).getFileName().toString();
      if (!e.modelFile().equals(arg) && !reported.equals(base)) {
        continue;
      }
      if (match != null) {
        throw new IllegalArgumentException(
            "two accuracy reports match model "
                + arg
                + ": "
                + match.file()
                + " and "
                + e.file()
                + "; give only the one for this model");
      }
      match = e;
    }
    if (match != null) {
      return new Found(match.accuracy(), match.what());
    }
    if (data == null) {
      throw new IllegalArgumentException(
          "no accuracy for model "
              + arg
              + ": no --accuracy report has its model file; give --accuracy REPORT.json (from"
              + " bench accuracy --model "
              + arg
              + " --json REPORT.json) or --data DIR to compute its plaintext accuracy");
    }
    Mnist.Split test = dataset.test(data);
    int correct = 0;
    for (int i = 0; i < test.n(); i++) {
      correct +=
          ReferenceCheck.argmax(PlainEvaluator.forward(model, test.image(i))) == test.labels()[i]
              ? 1
              : 0;
    }
    return new Found(
        (double) correct / test.n(),
        String.format(Locale.ROOT, "plaintext, %d %s test images", test.n(), dataset.title()));
  }
}
