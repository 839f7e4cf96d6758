package org.polyshare.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.secure.ModelBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench model}: secure inference of a zoo model in-process, offline and online separately,
 * next to the plaintext int64 forward of the same model in the same run (see
 * {@link ModelBenchmark}).
 */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Secure inference of a zoo model (offline/online, per layer) vs its plaintext"
        + " int64 forward.")
final class ModelCommand implements Callable<Integer> {
  @Option(names = "--model", defaultValue = "resnet18-pkn",
      description = "zoo model (default ${DEFAULT-VALUE}; see `models list`) or FILE.onnx")
  String model;

  @Option(names = "--batch", defaultValue = "1", description = "inputs per inference (default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--reps", defaultValue = "3", description = "measured repetitions (default ${DEFAULT-VALUE})")
  int reps;

  @Option(names = "--warmup", defaultValue = "2", description = "unmeasured warm-up repetitions (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--truncation", defaultValue = "dealer", description = "dealer or local (default ${DEFAULT-VALUE})")
  String truncation;

  @Option(names = "--json", description = "also write the results as JSON to this file")
  Path json;

  @Override
  public Integer call() throws Exception {
    TruncationMode mode = switch (truncation) {
      case "dealer" -> TruncationMode.DEALER;
      case "local" -> TruncationMode.LOCAL;
      default -> throw new IllegalArgumentException("--truncation must be dealer or local");
    };
    ModelBenchmark.Report r =
        ModelBenchmark.run(new ModelBenchmark.Settings(model, batch, warmup, reps, mode));
    System.out.print(r.format());
    if (json != null) {
      Files.writeString(json, r.toJson(), StandardCharsets.UTF_8);
      System.out.println("wrote " + json);
    }
    return 0;
  }
}
