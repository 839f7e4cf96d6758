package org.polyshare.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The separate-JVM dealer runs in the idle class (or under nice) unless its niceness is 0. */
class DealerPriorityTest {
  private static final List<String> JAVA = List.of("java", "-jar", "dealer.jar", "serve");

  @Test
  void nicenessZeroLeavesTheCommandAsItIs() {
    assertEquals(JAVA, SeparateJvmRunner.lowPriority(0, JAVA));
    assertEquals(JAVA, SeparateJvmRunner.lowPriority(0, JAVA, true, true));
  }

  @Test
  void theIdleClassWhereChrtExistsElseNice() {
    assertEquals(
        List.of("/usr/bin/chrt", "--idle", "0", "java", "-jar", "dealer.jar", "serve"),
        SeparateJvmRunner.lowPriority(19, JAVA, true, true));
    assertEquals(
        List.of("/usr/bin/nice", "-n", "19", "java", "-jar", "dealer.jar", "serve"),
        SeparateJvmRunner.lowPriority(19, JAVA, false, true));
    assertEquals(JAVA, SeparateJvmRunner.lowPriority(19, JAVA, false, false));
    assertEquals(19, SeparateJvmRunner.DEFAULT_DEALER_NICE);
  }

  /** The command this host gets really starts in the idle class (Linux with util-linux's chrt). */
  @Test
  void theDealerCommandRunsInTheIdleClassHere() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/chrt")), "no /usr/bin/chrt here");
    List<String> cmd = SeparateJvmRunner.lowPriority(19, List.of("/bin/sh", "-c", "chrt -p $$"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "chrt -p did not finish");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("SCHED_IDLE"), out);
  }
}
