package org.polyshare.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.polyshare.bench.BenchCli;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

class RepetitionOptionsTest {
  static final class Probe implements Runnable {
    @Mixin RepetitionOptions repetitions = new RepetitionOptions(7, 4);

    @Override
    public void run() {}
  }

  @Test
  void eachCommandKeepsItsOwnDefaultsInTheHelp() {
    CommandLine cli = BenchCli.commandLine();
    String ops = cli.getSubcommands().get("ops").getUsageMessage();
    String fss = cli.getSubcommands().get("fss").getUsageMessage();
    String model = cli.getSubcommands().get("model").getUsageMessage();
    assertTrue(ops.contains("measured repetitions (default 7)"), ops);
    assertTrue(ops.contains("warm-up repetitions (default 4)"), ops);
    assertTrue(fss.contains("measured repetitions (default 5)"), fss);
    assertTrue(model.contains("measured repetitions (default 3)"), model);
  }

  @Test
  void givenValuesReplaceTheDefaults() {
    Probe p = new Probe();
    new CommandLine(p).parseArgs();
    assertEquals(7, p.repetitions.repetitions().measured());
    assertEquals(4, p.repetitions.repetitions().warmup());
    new CommandLine(p).parseArgs("--reps", "2", "--warmup", "0");
    assertEquals(2, p.repetitions.reps());
    assertEquals(0, p.repetitions.warmup());
  }
}
