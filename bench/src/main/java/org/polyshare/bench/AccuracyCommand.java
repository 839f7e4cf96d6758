package org.polyshare.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.polyshare.bench.compare.SeparateJvmRunner;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.InProcessSession;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.OnnxExporter;
import org.polyshare.models.onnx.OnnxImporter;
import org.polyshare.models.secure.SecureModel;
import org.polyshare.models.train.TrainedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench accuracy}: the MNIST test set through the secure two-party protocol and through
 * the plaintext (double) evaluator; reports both accuracies, the number of images whose top-1
 * prediction differs, the largest logit error and the time per image.
 *
 * <p>Mode {@code processes} (default): a dealer JVM and two {@code party run} JVMs over mutual
 * TLS on loopback (fresh certificates, ephemeral ports), through {@link SeparateJvmRunner}. Party 0
 * loads the ONNX model; party 1 gets no model, only the images as its text input file, in chunks of
 * {@code --chunk} images per pair of party processes (one dealer session each), batch 1.
 *
 * <p>Mode {@code in_process}: both parties are threads of this JVM over an in-memory link, with an
 * in-process dealer — the same protocol code the party processes run, without sockets. Party 0
 * gets the model, party 1 only its architecture (no weights) and the images.
 */
@Command(
    name = "accuracy",
    mixinStandardHelpOptions = true,
    description = "MNIST test set through the secure protocol vs plaintext: accuracies, differing"
        + " top-1 predictions, max logit error, time per image.")
final class AccuracyCommand implements Callable<Integer> {
  enum Mode { processes, in_process }

  @Option(names = "--model", required = true, paramLabel = "FILE.onnx|NAME",
      description = "Model: an ONNX file, or the name of a trained model shipped in the jar"
          + " (lenet5-pkn-mnist).")
  Path modelFile;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "MNIST IDX directory (models data mnist --out DIR).")
  Path data;

  @Option(names = "--limit", defaultValue = "0",
      description = "First N test images only (0 = all 10000).")
  int limit;

  @Option(names = "--batch", defaultValue = "100",
      description = "Images per secure inference (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--mode", defaultValue = "processes",
      description = "processes (default): dealer + party 0 + party 1 JVMs over mutual TLS on"
          + " loopback, batch 1, dealer truncation; in_process: two party threads over an"
          + " in-memory link with an in-process dealer (any --batch, --truncation).")
  Mode mode;

  @Option(names = "--chunk", defaultValue = "1000",
      description = "processes mode: images per pair of party JVMs / dealer session"
          + " (default ${DEFAULT-VALUE}).")
  int chunk;

  @Option(names = "--timeout", defaultValue = "300",
      description = "processes mode: seconds any receive may wait (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--truncation", defaultValue = "DEALER",
      description = "DEALER (one round, <= 1 ulp) or LOCAL (SecureML) (default ${DEFAULT-VALUE}).")
  TruncationMode truncation;

  @Option(names = "--frac-bits", description = "Override the model's fixed-point precision f.")
  Integer fracBits;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

  @Override
  public Integer call() throws Exception {
    if (mode == Mode.processes && truncation != TruncationMode.DEALER) {
      throw new IllegalArgumentException("--mode processes runs the party CLI, which truncates"
          + " with the dealer; use --mode in_process for --truncation " + truncation);
    }
    Model model = Files.exists(modelFile)
        || !TrainedModels.names().contains(modelFile.toString())
        ? OnnxImporter.read(modelFile) : TrainedModels.load(modelFile.toString());
    if (fracBits != null) {
      model = model.withFracBits(fracBits);
    }
    Mnist.Split test = Mnist.test(data).head(limit);
    int n = test.n();
    int b = Math.min(batch, n);
    int classes = model.outputSize();

    long p0 = System.nanoTime();
    double[][] plain = new double[n][];
    for (int i = 0; i < n; i++) {
      plain[i] = PlainEvaluator.forward(model, test.image(i));
    }
    double plainSeconds = (System.nanoTime() - p0) / 1e9;

    double[][] secure = new double[n][];
    long[] online = new long[1];
    long[] offline = new long[1];
    long s0 = System.nanoTime();
    if (mode == Mode.in_process) {
      inProcess(model, test, b, secure, offline, online);
    } else {
      b = 1;
      processes(model, test, secure, offline, online);
    }
    double secureSeconds = (System.nanoTime() - s0) / 1e9;

    int plainOk = 0, secureOk = 0, differ = 0;
    double maxErr = 0, maxLogit = 0;
    for (int i = 0; i < n; i++) {
      int pa = argmax(plain[i]), sa = argmax(secure[i]);
      int y = test.labels()[i];
      plainOk += pa == y ? 1 : 0;
      secureOk += sa == y ? 1 : 0;
      differ += pa != sa ? 1 : 0;
      for (int c = 0; c < classes; c++) {
        maxErr = Math.max(maxErr, Math.abs(plain[i][c] - secure[i][c]));
        maxLogit = Math.max(maxLogit, Math.abs(plain[i][c]));
      }
    }
    double ulp = Math.scalb(1.0, -model.fracBits());
    String report = String.format(Locale.ROOT,
        "model %s (%s), %d MNIST test images, mode %s, f = %d, truncation %s%n"
            + "  plaintext accuracy  %.2f%% (%d/%d)%n"
            + "  secure accuracy     %.2f%% (%d/%d)%n"
            + "  differing top-1     %d%n"
            + "  max logit error     %.3g (%.1f ulp at 2^-%d; max |logit| %.3g)%n"
            + "  secure time/image   %.2f ms wall (offline %.2f ms + online %.2f ms per image,"
            + " batch %d%s); plaintext %.3f ms/image%n",
        model.name(), modelFile, n, mode, model.fracBits(), truncation,
        100.0 * plainOk / n, plainOk, n, 100.0 * secureOk / n, secureOk, n, differ,
        maxErr, maxErr / ulp, model.fracBits(), maxLogit,
        1e3 * secureSeconds / n, offline[0] / 1e6 / n, online[0] / 1e6 / n, b,
        mode == Mode.processes ? "; wall includes JVM starts, offline is the slower party's"
            : "; party 1's clock", 1e3 * plainSeconds / n);
    System.out.print(report);
    if (json != null) {
      String j = String.format(Locale.ROOT, "{\"model\": \"%s\", \"file\": \"%s\", \"images\": %d,"
              + " \"mode\": \"%s\", \"frac_bits\": %d, \"truncation\": \"%s\","
              + " \"batch\": %d, \"plaintext_accuracy\": %.6f, \"secure_accuracy\": %.6f,"
              + " \"differing_predictions\": %d, \"max_logit_error\": %.6g,"
              + " \"max_abs_logit\": %.6g,"
              + " \"secure_ms_per_image\": %.4f, \"offline_ms_per_image\": %.4f,"
              + " \"online_ms_per_image\": %.4f, \"plaintext_ms_per_image\": %.4f}%n",
          esc(model.name()), esc(modelFile.toString()), n, mode, model.fracBits(), truncation, b,
          (double) plainOk / n, (double) secureOk / n, differ, maxErr, maxLogit,
          1e3 * secureSeconds / n,
          offline[0] / 1e6 / n, online[0] / 1e6 / n, 1e3 * plainSeconds / n);
      Files.writeString(json, j, StandardCharsets.UTF_8);
    }
    return 0;
  }

  private void inProcess(Model model, Mnist.Split test, int b, double[][] secure, long[] offline,
      long[] online) {
    int n = test.n();
    SecureModel.Options opts = SecureModel.Options.defaults().withTruncation(truncation);
    SecureModel owner = SecureModel.compile(model, b, opts);
    SecureModel client = SecureModel.compile(architectureOnly(model), b, opts);
    int batches = (n + b - 1) / b;
    InProcessSession session = new InProcessSession(model.fixedPoint(), truncation,
        Duration.ofSeconds(300));
    System.err.printf("secure inference of %d images (mode in_process, f = %d, truncation %s,"
        + " batch %d)%n", n, model.fracBits(), truncation, b);
    TwoParties.Result<Integer> r = session.run(
        p -> {
          SecureModel.Session s = owner.open(p);
          for (int k = 0; k < batches; k++) {
            s.offline();
            s.online(null);
          }
          return 0;
        },
        p -> {
          SecureModel.Session s = client.open(p);
          for (int k = 0; k < batches; k++) {
            int lo = k * b;
            double[][] in = new double[b][];
            for (int j = 0; j < b; j++) {
              // the last batch is padded with copies of its first image; their logits are dropped
              in[j] = test.image(Math.min(lo + j, n - 1));
            }
            s.offline();
            SecureModel.Result res = s.online(in);
            offline[0] += res.offlineNanos();
            online[0] += res.onlineNanos();
            for (int j = 0; j < b && lo + j < n; j++) {
              secure[lo + j] = res.logits()[j];
            }
            if (k % 10 == 9 || k == batches - 1) {
              System.err.printf("\r  %d / %d images", Math.min(lo + b, n), n);
            }
          }
          System.err.println();
          return 0;
        });

  }

  /**
   * Three JVMs per chunk of images: the dealer lives across chunks, each chunk is one dealer
   * session of two fresh party processes. Offline time per image is the slower party's (both
   * must finish it), online time party 1's (it holds the result), as {@code bench compare}.
   */
  private void processes(Model model, Mnist.Split test, double[][] secure, long[] offline,
      long[] online) throws Exception {
    if (chunk < 1) {
      throw new IllegalArgumentException("--chunk must be >= 1, got " + chunk);
    }
    int n = test.n();
    System.err.printf("secure inference of %d images (mode processes: dealer + 2 party JVMs,"
        + " TLS on loopback, f = %d, batch 1, chunks of %d)%n", n, model.fracBits(), chunk);
    try (SeparateJvmRunner jvms = new SeparateJvmRunner(SeparateJvmRunner.projectRoot(),
        NetworkProfile.LOOPBACK, Duration.ofSeconds(timeoutSeconds), List.of())) {
      // Party 0 loads the model from ONNX; party 1 gets no model (party 0 sends it the architecture).
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
        SeparateJvmRunner.Reports r = jvms.runParties(onnx.toString(), "accuracy-" + lo, input, m,
            k -> {
              if (k % 50 == 49 || k == m - 1) {
                System.err.printf("\r  %d / %d images", done + k + 1, n);
              }
            });
        JsonArray inf0 = r.party0().getAsJsonArray("inferences");
        JsonArray inf1 = r.party1().getAsJsonArray("inferences");
        if (inf0.size() != m || inf1.size() != m) {
          throw new IllegalStateException("party reports hold " + inf0.size() + " and "
              + inf1.size() + " inferences, expected " + m);
        }
        for (int j = 0; j < m; j++) {
          JsonObject a = inf0.get(j).getAsJsonObject();
          JsonObject c = inf1.get(j).getAsJsonObject();
          offline[0] += (long) (1e6 * Math.max(a.get("offline_ms").getAsDouble(),
              c.get("offline_ms").getAsDouble()));
          online[0] += (long) (1e6 * c.get("online_ms").getAsDouble());
          JsonArray l = c.getAsJsonArray("logits");
          double[] v = new double[l.size()];
          for (int k = 0; k < v.length; k++) {
            v[k] = l.get(k).getAsDouble();
          }
          secure[lo + j] = v;
        }
      }
      System.err.println();
    }
  }

  private static String esc(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  static int argmax(double[] v) {
    int a = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[a]) {
        a = i;
      }
    }
    return a;
  }

  /** What the client may know: the public architecture, a model with no parameter arrays. */
  static Model architectureOnly(Model m) {
    return Architecture.of(m).model();
  }
}
