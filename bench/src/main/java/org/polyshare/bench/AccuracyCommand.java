package org.polyshare.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.InProcessSession;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.BatchNorm;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.onnx.OnnxImporter;
import org.polyshare.models.secure.SecureModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench accuracy}: the MNIST test set through the secure two-party protocol and through
 * the plaintext (double) evaluator; reports both accuracies, the number of images whose top-1
 * prediction differs, the largest logit error and the time per image.
 *
 * <p>Mode {@code in-process}: both parties are threads of this JVM over an in-memory link, with an
 * in-process dealer — the same protocol code the party processes run, without sockets. Party 0
 * gets the model, party 1 only its architecture (weights zeroed) and the images.
 */
@Command(
    name = "accuracy",
    mixinStandardHelpOptions = true,
    description = "MNIST test set through the secure protocol vs plaintext: accuracies, differing"
        + " top-1 predictions, max logit error, time per image.")
final class AccuracyCommand implements Callable<Integer> {
  enum Mode { in_process }

  @Option(names = "--model", required = true, paramLabel = "FILE.onnx", description = "Model (ONNX).")
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

  @Option(names = "--mode", defaultValue = "in_process",
      description = "in_process: two party threads over an in-memory link with an in-process"
          + " dealer (the only mode so far; separate party/dealer processes are not wired in yet).")
  Mode mode;

  @Option(names = "--truncation", defaultValue = "DEALER",
      description = "DEALER (one round, <= 1 ulp) or LOCAL (SecureML) (default ${DEFAULT-VALUE}).")
  TruncationMode truncation;

  @Option(names = "--frac-bits", description = "Override the model's fixed-point precision f.")
  Integer fracBits;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
  Path json;

  @Override
  public Integer call() throws Exception {
    Model model = OnnxImporter.read(modelFile);
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

    SecureModel.Options opts = SecureModel.Options.defaults().withTruncation(truncation);
    SecureModel owner = SecureModel.compile(model, b, opts);
    SecureModel client = SecureModel.compile(architectureOnly(model), b, opts);
    int batches = (n + b - 1) / b;
    double[][] secure = new double[n][];
    long[] online = new long[1];
    long[] offline = new long[1];
    InProcessSession session = new InProcessSession(model.fixedPoint(), truncation,
        Duration.ofSeconds(300));
    System.err.printf("secure inference of %d images (mode in_process, f = %d, truncation %s,"
        + " batch %d)%n", n, model.fracBits(), truncation, b);
    long s0 = System.nanoTime();
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
        "model %s (%s), %d MNIST test images, mode in_process, f = %d, truncation %s%n"
            + "  plaintext accuracy  %.2f%% (%d/%d)%n"
            + "  secure accuracy     %.2f%% (%d/%d)%n"
            + "  differing top-1     %d%n"
            + "  max logit error     %.3g (%.1f ulp at 2^-%d; max |logit| %.3g)%n"
            + "  secure time/image   %.2f ms wall (party 1: offline %.2f ms + online %.2f ms"
            + " per image, batch %d); plaintext %.3f ms/image%n",
        model.name(), modelFile, n, model.fracBits(), truncation,
        100.0 * plainOk / n, plainOk, n, 100.0 * secureOk / n, secureOk, n, differ,
        maxErr, maxErr / ulp, model.fracBits(), maxLogit,
        1e3 * secureSeconds / n, offline[0] / 1e6 / n, online[0] / 1e6 / n, b,
        1e3 * plainSeconds / n);
    System.out.print(report);
    if (json != null) {
      String j = String.format(Locale.ROOT, "{\"model\": \"%s\", \"file\": \"%s\", \"images\": %d,"
              + " \"mode\": \"in_process\", \"frac_bits\": %d, \"truncation\": \"%s\","
              + " \"batch\": %d, \"plaintext_accuracy\": %.6f, \"secure_accuracy\": %.6f,"
              + " \"differing_predictions\": %d, \"max_logit_error\": %.6g,"
              + " \"max_abs_logit\": %.6g,"
              + " \"secure_ms_per_image\": %.4f, \"offline_ms_per_image\": %.4f,"
              + " \"online_ms_per_image\": %.4f, \"plaintext_ms_per_image\": %.4f}%n",
          esc(model.name()), esc(modelFile.toString()), n, model.fracBits(), truncation, b,
          (double) plainOk / n, (double) secureOk / n, differ, maxErr, maxLogit,
          1e3 * secureSeconds / n,
          offline[0] / 1e6 / n, online[0] / 1e6 / n, 1e3 * plainSeconds / n);
      Files.writeString(json, j, StandardCharsets.UTF_8);
    }
    return 0;
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

  /** What the client may know: the same layers with every parameter zeroed. */
  static Model architectureOnly(Model m) {
    List<Layer> out = new ArrayList<>();
    for (Layer l : m.layers()) {
      if (l instanceof Conv2d c) {
        out.add(zero(c));
      } else if (l instanceof PolyKerv p) {
        out.add(new PolyKerv(p.name(), p.input(), zero(p.conv()), new double[p.cp().length],
            p.dp()));
      } else if (l instanceof Linear lin) {
        out.add(lin.withParams(new double[lin.weight().length], new double[lin.outFeatures()]));
      } else if (l instanceof BatchNorm bn) {
        out.add(BatchNorm.identity(bn.name(), bn.input(), bn.channels()));
      } else {
        out.add(l);
      }
    }
    return m.withLayers(out);
  }

  private static Conv2d zero(Conv2d c) {
    return c.withParams(new double[c.weight().length], new double[c.outChannels()]);
  }
}
