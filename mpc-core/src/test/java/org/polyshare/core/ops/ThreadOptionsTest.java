package org.polyshare.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.polyshare.core.kernel.RingThreads;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class ThreadOptionsTest {
  @Command(name = "top", subcommands = Sub.class)
  static final class Top implements Runnable {
    @CommandLine.Mixin ThreadOptions threads;

    @Override
    public void run() {}
  }

  @Command(name = "sub")
  static final class Sub implements Runnable {
    @Override
    public void run() {}
  }

  private static int execute(StringWriter err, String... args) {
    return new CommandLine(new Top()).setErr(new PrintWriter(err)).execute(args);
  }

  @Test
  void aSubcommandInheritsTheOptionAndTheSharedPoolTakesIt() {
    int all = Runtime.getRuntime().availableProcessors();
    StringWriter err = new StringWriter();
    assertEquals(0, execute(err, "sub", "--threads", "0"), err.toString());
    assertEquals(0, execute(err, "--threads", String.valueOf(all), "sub"), err.toString());
    assertEquals(all, RingThreads.shared().threads());
  }

  @Test
  void aNegativeOrNonNumericCountIsRefusedByName() {
    for (String bad : new String[] {"-1", "two"}) {
      StringWriter err = new StringWriter();
      assertEquals(2, execute(err, "sub", "--threads", bad));
      assertTrue(err.toString().contains("is not a thread count"), err.toString());
    }
  }
}
