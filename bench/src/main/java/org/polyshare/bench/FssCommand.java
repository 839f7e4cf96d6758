package org.polyshare.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.polyshare.bench.fss.FssBench;
import org.polyshare.bench.harness.Repetitions;
import org.polyshare.bench.harness.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench fss --relu N}: the dealer-assisted FSS ReLU's key generation and per-party key
 * evaluation rate ({@link FssBench}); this class only parses and prints. Rates are per core (thread
 * CPU time); other load on a shared machine disturbs them, so the load average is shown.
 */
@Command(
    name = "fss",
    mixinStandardHelpOptions = true,
    description =
        "FSS ReLU (DCF keys from the dealer): key generation, ReLU/s per core per party, key bytes per ReLU.")
final class FssCommand implements Callable<Integer> {
  @Option(
      names = "--relu",
      required = true,
      description = "number of FSS ReLUs (one DCF key pair each)")
  int relu;

  @Option(
      names = "--bits",
      defaultValue = "62",
      description =
          "inputs lie in [-2^bits, 2^bits) (default ${DEFAULT-VALUE}, the secure models' bound)")
  int bits;

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

  @Override
  public Integer call() throws IOException {
    Repetitions repetitions = new Repetitions(warmup, reps);
    FssBench bench = new FssBench(relu, bits, seed);
    System.out.println(bench.title(repetitions));
    Report r = bench.report(bench.run(repetitions));
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    r.put("load_average_1min", os.getSystemLoadAverage())
        .put("cpus", (long) os.getAvailableProcessors());
    r.print(System.out);
    if (json != null) {
      r.writeJson(json);
      System.out.println("wrote " + json);
    }
    return 0;
  }
}
