package org.polyshare.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The separate-JVM dealer runs under nice unless its niceness is 0. */
class DealerPriorityTest {
  private static final List<String> JAVA = List.of("java", "-jar", "dealer.jar", "serve");

  @Test
  void nicenessZeroLeavesTheCommandAsItIs() {
    assertEquals(JAVA, SeparateJvmRunner.lowPriority(0, JAVA));
  }

  @Test
  void aPositiveNicenessPrefixesNice() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/nice")), "no /usr/bin/nice here");
    assertEquals(
        List.of("/usr/bin/nice", "-n", "19", "java", "-jar", "dealer.jar", "serve"),
        SeparateJvmRunner.lowPriority(19, JAVA));
    assertEquals(19, SeparateJvmRunner.DEFAULT_DEALER_NICE);
  }
}
