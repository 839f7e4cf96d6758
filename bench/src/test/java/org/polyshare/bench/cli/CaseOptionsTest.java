package org.polyshare.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

class CaseOptionsTest {
  static final class Probe implements Runnable {
    @Mixin CaseOptions run = new CaseOptions(7, 4);

    @Override
    public void run() {}
  }

  @Test
  void carriesRepetitionsSeedAndJsonWithTheCommandsDefaults() {
    Probe p = new Probe();
    CommandLine cli = new CommandLine(p);
    cli.parseArgs();
    assertEquals(7, p.run.repetitions().measured());
    assertEquals(4, p.run.repetitions().warmup());
    assertEquals(1, p.run.seed());
    assertNull(p.run.output.json());
    String help = cli.getUsageMessage();
    assertTrue(help.contains("measured repetitions (default 7)"), help);
    assertTrue(help.contains("warm-up repetitions (default 4)"), help);
    assertTrue(help.contains("--seed=<seed>       seed of the random test inputs"), help);
    assertTrue(help.contains("--json=<json>       also write the results as JSON"), help);
    cli.parseArgs("--reps", "2", "--warmup", "0", "--seed", "9", "--json", "r.json");
    assertEquals(2, p.run.repetitions().measured());
    assertEquals(0, p.run.repetitions().warmup());
    assertEquals(9, p.run.seed());
    assertEquals(Path.of("r.json"), p.run.output.json());
  }
}
