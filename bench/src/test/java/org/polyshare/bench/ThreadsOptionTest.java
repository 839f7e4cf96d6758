package org.polyshare.bench;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ThreadsOptionTest {
  @Test
  void everyKernelRunningCommandTakesThreads() {
    CommandLine bench = BenchCli.commandLine();
    assertNotNull(bench.getCommandSpec().findOption("--threads"), "bench --threads");
    for (String sub : new String[] {"model", "ops", "kernels", "compare"}) {
      assertNotNull(
          bench.getSubcommands().get(sub).getCommandSpec().findOption("--threads"),
          "bench " + sub + " --threads");
    }
  }
}
