package org.polyshare.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.polyshare.bench.accuracy.AccuracyReport;
import org.polyshare.bench.accuracy.DifferingPrediction;
import org.polyshare.bench.accuracy.IdxDataset;
import org.polyshare.bench.accuracy.InProcessAccuracy;
import org.polyshare.bench.accuracy.ModelArgument;
import org.polyshare.bench.accuracy.ProcessesAccuracy;
import org.polyshare.bench.accuracy.ReluModeConverter;
import org.polyshare.bench.accuracy.RunHeader;
import org.polyshare.bench.accuracy.Scores;
import org.polyshare.bench.accuracy.SecurePass;
import org.polyshare.bench.harness.PhaseTimer;
import org.polyshare.bench.harness.Report;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.ReluMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench accuracy}: the test set of an IDX image data set (MNIST or Fashion-MNIST) through
 * the secure two-party protocol and through the plaintext (double) evaluator; reports both
 * accuracies, the images whose top-1 prediction differs — each marked a near-tie or not ({@link
 * DifferingPrediction}) — the largest logit error and the time per image.
 *
 * <p>Mode {@code processes} (default, {@link ProcessesAccuracy}): a dealer JVM and two {@code party
 * run} JVMs over mutual TLS on loopback, in chunks of {@code --chunk} images per pair of party
 * processes, {@code --batch} images per secure inference. Mode {@code in_process} ({@link
 * InProcessAccuracy}): both parties as threads of this JVM; party 0 gets the model, party 1 only
 * its architecture (no weights) and the images.
 */
@Command(
    name = "accuracy",
    mixinStandardHelpOptions = true,
    description =
        "An IDX test set (MNIST, Fashion-MNIST) through the secure protocol vs plaintext:"
            + " accuracies, differing top-1 predictions (near-ties marked), max logit error,"
            + " time per image.")
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
      description =
          "IDX directory holding t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]"
              + " (models data mnist|fashion-mnist --out DIR).")
  Path data;

  @Option(
      names = "--dataset",
      paramLabel = "mnist|fashion-mnist",
      description =
          "Which data set --data holds (its normalisation, its name in the report);"
              + " default: fashion-mnist if the directory's name says fashion, else mnist.")
  String dataset;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "First N test images only (0 = all 10000).")
  int limit;

  @Option(
      names = "--batch",
      defaultValue = "100",
      description = "Images per secure inference, both modes (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--relu",
      defaultValue = "gc",
      paramLabel = "gc|fss",
      converter = ReluModeConverter.class,
      description =
          "ReLU and max-pool by gc (garbled circuits; default) or fss (the dealer's DCF keys).")
  ReluMode relu;

  @Option(
      names = "--mode",
      defaultValue = "processes",
      description =
          "processes (default): dealer + party 0 + party 1 JVMs over mutual TLS on"
              + " loopback; in_process: two party threads over an in-memory link with an"
              + " in-process dealer. Both take --batch, --truncation and --relu.")
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

  @Option(
      names = "--md",
      paramLabel = "FILE",
      description = "Also write the results as Markdown (with the differing predictions).")
  Path markdown;

  private RunHeader header;
  private int runBatch;
  private double plainMsPerImage;

  @Override
  public Integer call() throws Exception {
    Model model = ModelArgument.load(modelFile.toString());
    if (fracBits != null) {
      model = model.withFracBits(fracBits);
    }
    IdxDataset set = dataset != null ? IdxDataset.named(dataset) : IdxDataset.guess(data);
    Mnist.Split test = set.test(data).head(limit);
    int n = test.n();
    int b = Math.max(1, Math.min(batch, n));
    runBatch = b;
    header =
        new RunHeader(
            model,
            modelFile.toString(),
            set,
            mode.name(),
            mode == Mode.processes,
            truncation,
            relu);

    PhaseTimer plainTime = PhaseTimer.start();
    double[][] plain = new double[n][];
    for (int i = 0; i < n; i++) {
      plain[i] = PlainEvaluator.forward(model, test.image(i));
    }
    plainMsPerImage = plainTime.stop().wallMs() / n;

    SecurePass secure = new SecurePass(n);
    PhaseTimer secureTime = PhaseTimer.start();
    long t0 = System.nanoTime();
    int inferences;
    if (mode == Mode.in_process) {
      InProcessAccuracy.run(model, architectureOnly(model), test, b, truncation, relu, secure);
      inferences = (n + b - 1) / b;
    } else {
      ProcessesAccuracy.Settings s =
          new ProcessesAccuracy.Settings(
              chunk, b, Duration.ofSeconds(timeoutSeconds), truncation, relu);
      // after each chunk the --json/--md files hold the prefix done so far
      inferences =
          ProcessesAccuracy.run(
              model,
              test,
              s,
              secure,
              (k, inf) ->
                  results(test.head(k), plain, secure, inf, (System.nanoTime() - t0) / 1e6, false));
    }
    double secureMs = secureTime.stop().wallMs();
    AccuracyReport full = results(test, plain, secure, inferences, secureMs, true);
    writeFiles(full);
    if (full.unexplained() > 0) {
      System.err.println(
          "bench accuracy: "
              + full.unexplained()
              + " differing prediction(s) with a top-2 gap beyond twice the error bound");
      return 1;
    }
    return 0;
  }

  /** The report of the first {@code test.n()} images (written to the files unless final). */
  private AccuracyReport results(
      Mnist.Split test,
      double[][] plainAll,
      SecurePass secure,
      int inferences,
      double secureMs,
      boolean last)
      throws java.io.IOException {
    int k = test.n();
    double[][] plain = java.util.Arrays.copyOf(plainAll, k);
    double[][] logits = secure.logits(k);
    List<DifferingPrediction> differing =
        DifferingPrediction.of(header.model(), test, plain, logits);
    Report r = header.report(Scores.of(plain, logits, test.labels()), runBatch, secure, secureMs);
    AccuracyReport full = new AccuracyReport(r, differing);
    r.put("secure_inferences", (long) inferences)
        .put("plaintext_ms_per_image", plainMsPerImage)
        .put("differing_near_ties", (long) differing.size() - full.unexplained())
        .put("differing_beyond_error_bound", full.unexplained());
    if (last) {
      r.print(System.out);
      System.out.print(full.differingMarkdown());
    } else {
      writeFiles(full);
    }
    return full;
  }

  private void writeFiles(AccuracyReport full) throws java.io.IOException {
    if (json != null) {
      Report.write(json, full.json());
    }
    if (markdown != null) {
      Report.write(markdown, full.markdown());
    }
  }

  /** What the client may know: the public architecture, a model with no parameter arrays. */
  static Model architectureOnly(Model m) {
    return Architecture.of(m).model();
  }
}
