package org.polyshare.bench.compare;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.polyshare.bench.cli.BatchOption;
import org.polyshare.bench.cli.SeedOption;
import org.polyshare.bench.harness.Report;
import org.polyshare.bench.harness.Warmups;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.OfflineSchedule;
import org.polyshare.models.secure.ReluMode;
import org.polyshare.models.secure.SecureOptions;
import org.polyshare.models.zoo.Zoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench compare}: the headline comparison. Runs the {@code -relu} variant with each ReLU arm
 * ({@code --relu-arms}: garbled circuits, and FSS with the dealer's DCF keys) and the {@code -pkn}
 * (polynomial kervolution) variant of one architecture as secure two-party inferences under a
 * network profile, checks every secure result against the plaintext double reference, and reports
 * offline / online / total latency (median of K), bytes each way, rounds, the linear vs activation
 * split and the ReLU/PKN ratios, as Markdown on stdout and JSON, CSV and an SVG chart in {@code
 * --out}.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "ReLU-GC vs PolyKervNet: secure inference of both variants of one architecture, checked "
          + "against plaintext; latency (offline/online/total), bytes, rounds, layer split, ratios.",
      "Network profiles (applied to every link, both directions): loopback = unshaped; "
          + "lan = 1 Gbit/s each way, 0.5 ms round trip; wan = 100 Mbit/s, 40 ms round trip."
    })
public final class CompareCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      description = "architecture: lenet5, tiny, resnet18 or vgg16 (both -relu and -pkn run)")
  String model;

  @Option(
      names = "--pkn",
      paramLabel = "FILE.onnx",
      description = "your own PKN model (with --relu FILE.onnx, instead of --model)")
  String pknFile;

  @Option(
      names = "--relu",
      paramLabel = "FILE.onnx",
      description = "your own ReLU model of the same architecture (with --pkn)")
  String reluFile;

  @Option(
      names = "--net",
      defaultValue = "loopback",
      description = "network profile: loopback, lan or wan (default ${DEFAULT-VALUE})")
  String netName;

  @Mixin BatchOption batchOption;

  @Option(
      names = "--repeat",
      defaultValue = "3",
      description =
          "measured inferences per variant; times are their median (default ${DEFAULT-VALUE})")
  int repeat;

  @Option(
      names = "--warmup",
      paramLabel = "W",
      description =
          "unmeasured warm-up inferences of every arm (default per arm: gc "
              + Warmups.GC_RELU
              + ", fss "
              + Warmups.FSS_RELU
              + ", pkn "
              + Warmups.POLYNOMIAL
              + "; the cheap arms need more for a steady median)")
  Integer warmup;

  @Option(
      names = "--in-process",
      description =
          "both parties and the dealer in this JVM (threads, in-memory links shaped by the profile)")
  boolean inProcess;

  @Option(
      names = "--offline",
      defaultValue = "ahead",
      paramLabel = "ahead|streamed",
      description =
          "ahead: each inference's whole offline phase, then its online phase, timed alone"
              + " (default); streamed: each layer's offline step just before its online step, as"
              + " `party serve` runs it, where a party's online time is its wall time less its own"
              + " offline steps (optimistic: they overlap the peer's online work)")
  String offline;

  @Option(
      names = "--jvm-opt",
      description =
          "separate-JVM mode: an option for the dealer and party JVMs (repeatable), e.g. --jvm-opt=-Xmx8g")
  List<String> jvmOptions = new ArrayList<>();

  @Option(
      names = "--out",
      defaultValue = "compare-results",
      description =
          "directory for the JSON, CSV, Markdown and SVG reports (default ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--json", description = "also write the JSON report to this file")
  Path json;

  @Mixin SeedOption seed;

  @Option(
      names = "--timeout",
      defaultValue = "600",
      description =
          "seconds any party may wait for the other before the run fails (default ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Option(names = "--layers", description = "also print the per-layer tables")
  boolean printLayers;

  @Option(
      names = "--relu-arms",
      split = ",",
      paramLabel = "gc,fss",
      description =
          "how the -relu variant evaluates ReLU, one run each: gc (garbled circuits),"
              + " fss (function secret sharing with the dealer; max-pool too); default gc,fss")
  List<String> reluArms;

  @Option(names = "--no-progress", description = "no progress bar on stderr")
  boolean noProgress;

  /** Test hook: perturbs one secure logit of the named variant so the plaintext check must fail. */
  @Option(names = "--corrupt-result", hidden = true)
  String corruptVariant;

  @Override
  public Integer call() throws IOException, InterruptedException {
    String[] variants = CompareVariants.variants(model, reluFile, pknFile);
    String arch = CompareVariants.architecture(model, pknFile);
    int batch = batchOption.batch();
    if (batch < 1 || repeat < 1 || (warmup != null && warmup < 0) || timeoutSeconds < 1) {
      throw new IllegalArgumentException(
          "--batch and --repeat must be >= 1, --warmup >= 0, --timeout >= 1");
    }
    NetworkProfile net = NetworkProfile.named(netName);
    if (!inProcess && batch != 1) {
      throw new IllegalArgumentException(
          "separate-JVM mode runs batch 1 (the party CLI's batch);"
              + " use --in-process for --batch "
              + batch);
    }
    List<ReluMode> arms = CompareVariants.arms(reluArms);
    PrintWriter stdout = spec.commandLine().getOut();
    OfflineSchedule schedule = OfflineSchedule.parse(offline);
    String phases =
        schedule == OfflineSchedule.AHEAD ? "offline ahead of online" : "streamed offline";
    String mode =
        inProcess
            ? "in-process (2 party threads + dealer, " + phases + "; links shaped per profile)"
            : "separate JVMs (dealer + 2 parties, TLS on loopback, "
                + phases
                + "; every link shaped per profile)";
    int runs = arms.size() + 1;
    int[] warmups = warmups(arms);
    int total = 0;
    for (int w : warmups) {
      total += 1 + 2 * (w + repeat);
    }
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    InProcessRunner runner = new InProcessRunner(net, timeout, schedule);
    VariantResult[] results = new VariantResult[runs];
    int f = 0; // the ReLU variant's fractional bits, for the dealer bytes per FSS ReLU
    try (Progress progress = new Progress(System.err, total, !noProgress);
        SeparateJvmRunner jvms =
            inProcess
                ? null
                : new SeparateJvmRunner(SeparateJvmRunner.projectRoot(), net, timeout, jvmOptions)
                    .schedule(schedule)) {
      for (int v = 0; v < runs; v++) {
        boolean pknRun = v == arms.size();
        int warm = warmups[v];
        String name = variants[pknRun ? 1 : 0];
        ReluMode relu = pknRun ? ReluMode.GC : arms.get(v);
        // the FSS arm's results go by their own name: "lenet5-relu+fss"
        String label = relu == ReluMode.FSS ? name + "+fss" : name;
        progress.begin(label + ": loading and calibrating the model");
        Model owner = Zoo.load(name);
        if (!pknRun) {
          f = owner.fracBits();
        }
        List<double[][]> inputs = CompareVariants.inputs(owner, warm, repeat, batch, seed.seed());
        InProcessRunner.Run run;
        if (inProcess) {
          run =
              runner.run(
                  owner,
                  Architecture.of(owner).model(),
                  inputs,
                  warm,
                  progress,
                  label,
                  SecureOptions.defaults().withRelu(relu));
        } else {
          progress.begin(label + ": launching party processes (setup)");
          List<double[]> single = new ArrayList<>();
          for (double[][] x : inputs) {
            single.add(x[0]);
          }
          run =
              PartyReports.measurements(
                  jvms.relu(relu).run(name, single, progress, label, warm), warm);
          progress.step();
        }
        List<ReferenceCheck.Outcome> checks = new ArrayList<>();
        for (int k = 0; k < run.logits().size(); k++) {
          double[][] logits = run.logits().get(k);
          if (label.equals(corruptVariant) && k == 0) {
            logits[0][0] += 0.05 * (1 + Math.abs(logits[0][0]));
          }
          checks.add(ReferenceCheck.check(owner, inputs.get(warm + k), logits));
        }
        results[v] = new VariantResult(label, warm, run.reps(), checks, run.memory());
      }
    }
    List<ReluArm> reluResults = ReluArm.of(arms, results, f);
    ComparisonReport report =
        new ComparisonReport(
            arch, net, batch, repeat, warmup != null, mode, reluResults, results[arms.size()]);
    stdout.println(report.markdown());
    if (printLayers) {
      stdout.println(report.layersMarkdown());
    }
    String base = "compare-" + arch + "-" + net.name();
    Report.write(out.resolve(base + ".json"), report.json());
    Report.write(out.resolve(base + ".csv"), report.csv());
    Report.write(out.resolve(base + "-layers.csv"), report.layersCsv());
    Report.write(out.resolve(base + ".md"), report.markdown() + report.layersMarkdown());
    Report.write(out.resolve(base + ".svg"), report.svg());
    if (json != null) {
      Report.write(json, report.json());
    }
    stdout.println("wrote " + out.resolve(base) + ".{json,csv,md,svg} and " + base + "-layers.csv");
    for (VariantResult v : report.variants()) {
      for (int k = 0; k < v.checks().size(); k++) {
        stdout.println(
            v.model() + " rep " + (k + 1) + " vs plaintext: " + v.checks().get(k).describe());
      }
    }
    stdout.flush();
    if (!report.passed()) {
      spec.commandLine()
          .getErr()
          .println("bench compare: a secure result does not match the plaintext reference");
      return 1;
    }
    return 0;
  }

  /**
   * The warm-ups of each run, the ReLU {@code arms} in order then the PKN variant: {@code --warmup}
   * for all, else each arm's default.
   */
  int[] warmups(List<ReluMode> arms) {
    int[] w = new int[arms.size() + 1];
    for (int v = 0; v < w.length; v++) {
      w[v] =
          warmup != null
              ? warmup
              : v == arms.size() ? Warmups.POLYNOMIAL : Warmups.relu(arms.get(v));
    }
    return w;
  }
}
