package org.polyshare.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.polyshare.bench.accuracy.InProcessAccuracy;
import org.polyshare.bench.accuracy.Scores;
import org.polyshare.bench.accuracy.SecurePass;
import org.polyshare.bench.compare.PartyReports;
import org.polyshare.bench.compare.SeparateJvmRunner;
import org.polyshare.bench.harness.PhaseTimer;
import org.polyshare.bench.harness.Report;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.OnnxExporter;
import org.polyshare.models.onnx.OnnxImporter;
import org.polyshare.models.train.TrainedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench accuracy}: the MNIST test set through the secure two-party protocol and through the
 * plaintext (double) evaluator; reports both accuracies, the number of images whose top-1
 * prediction differs, the largest logit error and the time per image.
 *
 * <p>Mode {@code processes} (default): a dealer JVM and two {@code party run} JVMs over mutual TLS
 * on loopback (fresh certificates, ephemeral ports), through {@link SeparateJvmRunner}. Party 0
 * loads the ONNX model; party 1 gets no model, only the images as its text input file, in chunks of
 * {@code --chunk} images per pair of party processes (one dealer session each), batch 1.
 *
 * <p>Mode {@code in_process}: both parties are threads of this JVM over an in-memory link, with an
 * in-process dealer — the same protocol code the party processes run, without sockets. Party 0 gets
 * the model, party 1 only its architecture (no weights) and the images.
 */
@Command(
    name = "accuracy",
    mixinStandardHelpOptions = true,
    description =
        "MNIST test set through the secure protocol vs plaintext: accuracies, differing"
            + " top-1 predictions, max logit error, time per image.")
final class AccuracyCommand implements Callable<Integer> {
  enum Mode {
    processes,
    in_process
  }

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE.onnx|NAME",
      description =
          "Model: an ONNX file, or the name of a trained model shipped in the jar"
              + " (lenet5-pkn-mnist).")
  Path modelFile;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "MNIST IDX directory (models data mnist --out DIR).")
  Path data;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "First N test images only (0 = all 10000).")
  int limit;

  @Option(
      names = "--batch",
      defaultValue = "100",
      description = "Images per secure inference (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--mode",
      defaultValue = "processes",
      description =
          "processes (default): dealer + party 0 + party 1 JVMs over mutual TLS on"
              + " loopback, batch 1, the given --truncation; in_process: two party threads over an"
              + " in-memory link with an in-process dealer (any --batch, --truncation).")
  Mode mode;

  @Option(
      names = "--chunk",
      defaultValue = "1000",
      description =
          "processes mode: images per pair of party JVMs / dealer session"
              + " (default ${DEFAULT-VALUE}).")
  int chunk;

  @Option(
      names = "--timeout",
      defaultValue = "300",
      description = "processes mode: seconds any receive may wait (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(
      names = "--truncation",
      defaultValue = "DEALER",
      description =
          "DEALER (one round, <= 1 ulp), EXACT (one round, exact floor, DCF keys) or LOCAL (SecureML) (default ${DEFAULT-VALUE}).")
  TruncationMode truncation;

  @Option(names = "--frac-bits", description = "Override the model's fixed-point precision f.")
  Integer fracBits;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

  @Override
  public Integer call() throws Exception {
    Model model =
        Files.exists(modelFile) || !TrainedModels.names().contains(modelFile.toString())
            ? OnnxImporter.read(modelFile)
            : TrainedModels.load(modelFile.toString());
    if (fracBits != null) {
      model = model.withFracBits(fracBits);
    }
    Mnist.Split test = Mnist.test(data).head(limit);
    int n = test.n();
    int b = mode == Mode.in_process ? Math.min(batch, n) : 1;

    PhaseTimer plainTime = PhaseTimer.start();
    double[][] plain = new double[n][];
    for (int i = 0; i < n; i++) {
      plain[i] = PlainEvaluator.forward(model, test.image(i));
    }
    double plainMs = plainTime.stop().wallMs();

    SecurePass secure = new SecurePass(n);
    PhaseTimer secureTime = PhaseTimer.start();
    if (mode == Mode.in_process) {
      InProcessAccuracy.run(model, architectureOnly(model), test, b, truncation, secure);
    } else {
      processes(model, test, secure);
    }
    double secureMs = secureTime.stop().wallMs();
    Report r =
        report(
            model, Scores.of(plain, secure.logits(), test.labels()), b, secure, secureMs, plainMs);
    r.print(System.out);
    if (json != null) {
      r.writeJson(json);
    }
    return 0;
  }

  private Report report(
      Model model, Scores s, int b, SecurePass secure, double secureMs, double plainMs) {
    int n = s.images();
    return new Report(
            String.format(
                Locale.ROOT,
                "bench accuracy: model %s (%s), %d MNIST test images,"
                    + " mode %s, f = %d, truncation %s, batch %d; %s",
                model.name(),
                modelFile,
                n,
                mode,
                model.fracBits(),
                truncation,
                b,
                mode == Mode.processes
                    ? "offline is the slower party's, online party 1's; secure time includes JVM starts"
                    : "times on party 1's clock"))
        .put("model", model.name())
        .put("file", modelFile.toString())
        .put("images", (long) n)
        .put("mode", mode.name())
        .put("frac_bits", (long) model.fracBits())
        .put("truncation", truncation.name())
        .put("batch", (long) b)
        .put("plaintext_accuracy", s.plainAccuracy())
        .put("secure_accuracy", s.secureAccuracy())
        .put("differing_predictions", (long) s.differing())
        .put("max_logit_error", s.maxLogitError())
        .put("max_logit_error_ulps", s.maxLogitError() * Math.scalb(1.0, model.fracBits()))
        .put("max_abs_logit", s.maxAbsLogit())
        .put("secure_ms_per_image", secureMs / n)
        .put("offline_ms_per_image", secure.offlineNanos() / 1e6 / n)
        .put("online_ms_per_image", secure.onlineNanos() / 1e6 / n)
        .put("plaintext_ms_per_image", plainMs / n);
  }

  /**
   * Three JVMs per chunk of images: the dealer lives across chunks, each chunk is one dealer
   * session of two fresh party processes. Offline time per image is the slower party's (both must
   * finish it), online time party 1's (it holds the result), as {@code bench compare}. The one
   * place that launches the party processes and decides what each is given.
   */
  private void processes(Model model, Mnist.Split test, SecurePass secure) throws Exception {
    if (chunk < 1) {
      throw new IllegalArgumentException("--chunk must be >= 1, got " + chunk);
    }
    int n = test.n();
    System.err.printf(
        "secure inference of %d images (mode processes: dealer + 2 party JVMs,"
            + " TLS on loopback, f = %d, batch 1, %s truncation, chunks of %d)%n",
        n, model.fracBits(), truncation, chunk);
    try (SeparateJvmRunner jvms =
        new SeparateJvmRunner(
                SeparateJvmRunner.projectRoot(),
                NetworkProfile.LOOPBACK,
                Duration.ofSeconds(timeoutSeconds),
                List.of())
            .truncation(truncation)) {
      // Party 0 loads the model from ONNX; party 1 gets no model (party 0 sends it the
      // architecture).
      Path onnx = jvms.workDir().resolve("model.onnx");
      OnnxExporter.write(model, onnx);
      for (int lo = 0; lo < n; lo += chunk) {
        int m = Math.min(chunk, n - lo);
        List<double[]> images = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
          images.add(test.image(lo + j));
        }
        Path input = jvms.workDir().resolve("images.txt");
        SeparateJvmRunner.writeInputs(input, images);
        int done = lo;
        SeparateJvmRunner.Reports r =
            jvms.runParties(
                onnx.toString(),
                "accuracy-" + lo,
                input,
                m,
                k -> {
                  if (k % 50 == 49 || k == m - 1) {
                    System.err.printf("\r  %d / %d images", done + k + 1, n);
                  }
                });
        JsonArray inf0 = r.party0().getAsJsonArray("inferences");
        JsonArray inf1 = r.party1().getAsJsonArray("inferences");
        if (inf0.size() != m || inf1.size() != m) {
          throw new IllegalStateException(
              "party reports hold "
                  + inf0.size()
                  + " and "
                  + inf1.size()
                  + " inferences, expected "
                  + m);
        }
        for (int j = 0; j < m; j++) {
          JsonObject a = inf0.get(j).getAsJsonObject();
          JsonObject c = inf1.get(j).getAsJsonObject();
          secure.addTimes(
              (long)
                  (1e6
                      * Math.max(
                          a.get("offline_ms").getAsDouble(), c.get("offline_ms").getAsDouble())),
              (long) (1e6 * c.get("online_ms").getAsDouble()));
          secure.logits(lo + j, PartyReports.logits(c));
        }
      }
      System.err.println();
    }
  }

  /** What the client may know: the public architecture, a model with no parameter arrays. */
  static Model architectureOnly(Model m) {
    return Architecture.of(m).model();
  }
}
