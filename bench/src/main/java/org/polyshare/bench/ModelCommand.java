package org.polyshare.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.polyshare.bench.cli.BatchOption;
import org.polyshare.bench.cli.ReportOutput;
import org.polyshare.bench.cli.TruncationOption;
import org.polyshare.bench.harness.Medians;
import org.polyshare.bench.harness.Repetitions;
import org.polyshare.bench.harness.Report;
import org.polyshare.bench.harness.Warmups;
import org.polyshare.bench.model.ModelBenchmark;
import org.polyshare.bench.model.ModelBenchmark.Rep;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.secure.LayerReport;
import org.polyshare.models.secure.SecureResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench model}: secure inference of a zoo model in-process, offline and online separately,
 * next to the plaintext int64 forward of the same model in the same run, at the run's thread count
 * and on one thread (see {@link ModelBenchmark}). A phase's time is the slower party's, its rounds
 * the larger count; times are medians over the measured repetitions, a ratio is of two medians;
 * bytes and rounds are deterministic.
 */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description =
        "Secure inference of a zoo model (offline/online, per layer) vs its plaintext"
            + " int64 forward.")
final class ModelCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      defaultValue = "resnet18-pkn",
      description = "zoo model (default ${DEFAULT-VALUE}; see `models list`) or FILE.onnx")
  String model;

  @Mixin BatchOption batch;

  @Option(
      names = "--streamed",
      description =
          "streamed offline, as party processes run it: each layer's offline step just before its"
              + " online step (one layer's material held; offline time is the layers' sum)")
  boolean streamed;

  @Option(names = "--reps", description = "measured repetitions (default ${DEFAULT-VALUE})")
  int reps = 3;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description =
          "unmeasured warm-up repetitions (default "
              + Warmups.POLYNOMIAL
              + ", or "
              + Warmups.GC_RELU
              + " for a model with ReLUs: garbled circuits, seconds to minutes an inference)")
  Integer warmup;

  @Mixin TruncationOption truncation;

  @Mixin ReportOutput output;

  /** One layer over the measured repetitions: median times, bytes and rounds of party 1's link. */
  record LayerRow(
      String name,
      String kind,
      double offlineMs,
      double onlineMs,
      long onlineBytes,
      long onlineRounds) {}

  @Override
  public Integer call() throws IOException {
    TruncationMode mode = truncation.mode();
    int warm = warmup != null ? warmup : ModelBenchmark.defaultWarmup(model, batch.batch());
    ModelBenchmark.Run run =
        ModelBenchmark.run(
            new ModelBenchmark.Settings(
                model, batch.batch(), new Repetitions(warm, reps), mode, streamed));
    List<LayerRow> layers = layers(run.reps());
    System.out.print(table(layers));
    Report r = report(run, layers);
    return output.emit(r);
  }

  static List<LayerRow> layers(List<Rep> reps) {
    List<LayerRow> rows = new ArrayList<>();
    SecureResult last = reps.get(reps.size() - 1).party1();
    for (int i = 0; i < last.layers().size(); i++) {
      int j = i;
      LayerReport a = reps.get(reps.size() - 1).party0().layers().get(j);
      LayerReport b = last.layers().get(j);
      rows.add(
          new LayerRow(
              b.layer(),
              b.kind(),
              Medians.median(reps, x -> slower(x, j, true)),
              Medians.median(reps, x -> slower(x, j, false)),
              b.onlineBytes(),
              Math.max(a.onlineRounds(), b.onlineRounds())));
    }
    return rows;
  }

  private static double slower(Rep x, int layer, boolean offline) {
    LayerReport a = x.party0().layers().get(layer);
    LayerReport b = x.party1().layers().get(layer);
    return offline
        ? Math.max(a.offlineNanos(), b.offlineNanos()) / 1e6
        : Math.max(a.onlineNanos(), b.onlineNanos()) / 1e6;
  }

  static String table(List<LayerRow> layers) {
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%-18s %-16s %11s %11s %13s %7s%n",
                "layer",
                "kind",
                "offline ms",
                "online ms",
                "online bytes",
                "rounds"));
    for (LayerRow l : layers) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-18s %-16s %11.2f %11.2f %13d %7d%n",
              l.name(),
              l.kind(),
              l.offlineMs(),
              l.onlineMs(),
              l.onlineBytes(),
              l.onlineRounds()));
    }
    return sb.toString();
  }

  static Report report(ModelBenchmark.Run run, List<LayerRow> layers) {
    ModelBenchmark.Settings s = run.settings();
    List<Rep> reps = run.reps();
    double off =
        Medians.median(
            reps, x -> Math.max(x.party0().offlineNanos(), x.party1().offlineNanos()) / 1e6);
    double on =
        Medians.median(
            reps, x -> Math.max(x.party0().onlineNanos(), x.party1().onlineNanos()) / 1e6);
    double plain = Medians.median(reps, x -> x.plaintext().wallMs());
    double plain1 = Medians.median(reps, x -> x.plaintext1Thread().wallMs());
    SecureResult last0 = reps.get(reps.size() - 1).party0();
    SecureResult last1 = reps.get(reps.size() - 1).party1();
    double err = 0;
    boolean top1 = true;
    for (int i = 0; i < s.batch(); i++) {
      double[] sec = run.secureOutputs()[i];
      double[] ring = run.int64Outputs()[i];
      for (int k = 0; k < sec.length; k++) {
        err = Math.max(err, Math.abs(sec[k] - ring[k]));
      }
      top1 &= PlainEvaluator.argmax(sec) == PlainEvaluator.argmax(ring);
    }
    Report r =
        new Report(
            String.format(
                Locale.ROOT,
                "bench model --model %s (%d parameters), batch %d, %d kernel thread(s),"
                    + " truncation %s, %d measured reps after %d warm-up",
                run.model().name(),
                run.model().parameterCount(),
                s.batch(),
                run.threads(),
                s.truncation(),
                s.reps().measured(),
                s.reps().warmup()));
    r.put("model", run.model().name())
        .put("parameters", run.model().parameterCount())
        .put("batch", (long) s.batch())
        .put("threads", (long) run.threads())
        .put("truncation", s.truncation().name())
        .put("offline", s.streamed() ? "streamed" : "batch")
        .put("reps", (long) s.reps().measured())
        .put("warmup", (long) s.reps().warmup());
    r.put("setup_ms", Math.max(run.setup0().wallMs(), run.setup1().wallMs()))
        .put("offline_ms", off)
        .put("online_ms", on)
        .put("plaintext_int64_ms", plain)
        .put("plaintext_int64_1thread_ms", plain1)
        .put("online_over_plaintext", on / plain)
        .put("online_over_plaintext_1thread", on / plain1);
    r.put("offline_bytes", bytes(last1.offlineTraffic()))
        .put("online_bytes", bytes(last1.onlineTraffic()))
        .put(
            "online_rounds",
            Math.max(last0.onlineTraffic().rounds(), last1.onlineTraffic().rounds()))
        .put("max_abs_error_vs_int64", err)
        .put("top1_agrees", top1);
    for (LayerRow l : layers) {
      r.put("layer." + l.name() + ".offline_ms", l.offlineMs())
          .put("layer." + l.name() + ".online_ms", l.onlineMs())
          .put("layer." + l.name() + ".online_bytes", l.onlineBytes())
          .put("layer." + l.name() + ".online_rounds", l.onlineRounds());
    }
    return r;
  }

  private static long bytes(org.polyshare.core.link.LinkStats.Snapshot t) {
    return t.bytesSent() + t.bytesReceived();
  }
}
