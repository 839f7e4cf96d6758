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
 * Where each model's test accuracy comes from: a {@code bench accuracy --json} report naming it
 * (its secure accuracy), or else the plaintext accuracy computed on the test set of {@code --data}
 * (which {@code bench accuracy} shows the secure one equals, near-ties aside).
 */
final class Accuracies {
  /** One accuracy and a description of its source. */
  record Found(double accuracy, String source) {}

  private record Entry(Path file, String model, String modelFile, double accuracy, String what) {}

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
              o.get("model").getAsString(),
              o.has("file") ? o.get("file").getAsString() : "",
              o.get("secure_accuracy").getAsDouble(),
              what));
    }
    this.data = data;
    this.dataset = dataset;
  }

  /**
   * The accuracy of {@code model} (named {@code arg} on the command line): the report whose model
   * file or name matches, else computed on {@code --data}; refuses, naming the model, when neither
   * is given.
   */
  Found of(String arg, Model model) throws IOException {
    String base = Path.of(arg).getFileName().toString();
    for (Entry e : reports) {
      String reported =
          e.modelFile().isEmpty() ? "" : Path.of(e.modelFile()).getFileName().toString();
      if (e.modelFile().equals(arg) || reported.equals(base)) {
        return new Found(e.accuracy(), e.what());
      }
    }
    for (Entry e : reports) {
      if (e.model().equals(model.name())) {
        return new Found(e.accuracy(), e.what());
      }
    }
    if (data == null) {
      throw new IllegalArgumentException(
          "no accuracy for model "
              + arg
              + ": give --accuracy REPORT.json (from bench accuracy --model "
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
