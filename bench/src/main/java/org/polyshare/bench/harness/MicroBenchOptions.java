package org.polyshare.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every one-engine microbenchmark takes ({@code --reps}, {@code --warmup}, {@code
 * --seed}, {@code --json}), as a picocli mixin, and the common end of its run: the machine's load
 * next to the rates (other load on a shared machine disturbs them), the report printed and written.
 */
public final class MicroBenchOptions {
  @Option(
      names = "--reps",
      defaultValue = "5",
      description = "measured repetitions (default ${DEFAULT-VALUE})")
  int reps;

  @Option(
      names = "--warmup",
      defaultValue = "3",
      description = "unmeasured warm-up repetitions (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "seed of the random test inputs (not of any secret) (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--json", description = "also write the results as JSON to this file")
  Path json;

  public Repetitions repetitions() {
    return new Repetitions(warmup, reps);
  }

  public long seed() {
    return seed;
  }

  /** Adds the load average and core count to {@code r}, prints it, and writes it to --json. */
  public void finish(Report r, PrintStream out) throws IOException {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    r.put("load_average_1min", os.getSystemLoadAverage())
        .put("cpus", (long) os.getAvailableProcessors());
    r.print(out);
    if (json != null) {
      r.writeJson(json);
      out.println("wrote " + json);
    }
  }
}
