package org.polyshare.bench.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Path;
import org.polyshare.bench.harness.Report;
import picocli.CommandLine.Option;

/**
 * {@code --json FILE}, mixed into a bench command, and the end every command shares: the report as
 * a table on stdout and, when asked, as JSON.
 */
public final class ReportOutput {
  @Option(names = "--json", description = "also write the results as JSON to this file")
  Path json;

  public Path json() {
    return json;
  }

  /** Prints {@code r}, writes it to {@code --json} if given; the command's exit code, 0. */
  public int emit(Report r) throws IOException {
    r.print(System.out);
    if (json != null) {
      r.writeJson(json);
      System.out.println("wrote " + json);
    }
    return 0;
  }

  /**
   * Adds the 1-minute load average and the core count: rates measured on a shared machine are read
   * against them.
   */
  public static Report withMachineLoad(Report r) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return r.put("load_average_1min", os.getSystemLoadAverage())
        .put("cpus", (long) os.getAvailableProcessors());
  }
}
