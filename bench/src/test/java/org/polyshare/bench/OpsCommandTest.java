package org.polyshare.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test: every op runs end to end on tiny shapes and reports a small error. */
class OpsCommandTest {
  @Test
  void everyOpRunsAndWritesJsonWithinItsErrorBound(@TempDir Path dir) throws Exception {
    String[][] cases = {
      {"--op", "mul", "--size", "500"},
      {"--op", "square", "--size", "500"},
      {"--op", "trunc", "--size", "500"},
      {"--op", "poly", "--size", "500", "--degree", "2"},
      {"--op", "matmul", "--m", "3", "--k", "20", "--n", "5"},
      {"--op", "matmul", "--m", "3", "--k", "20", "--n", "5", "--linear", "beaver"},
      {"--op", "conv2d", "--in-ch", "3", "--out-ch", "4", "--hw", "6", "--linear", "fixed"},
      {
        "--op",
        "conv2d",
        "--in-ch",
        "3",
        "--out-ch",
        "4",
        "--hw",
        "6",
        "--stride",
        "2",
        "--truncation",
        "local"
      },
    };
    int i = 0;
    for (String[] c : cases) {
      Path json = dir.resolve("r" + i++ + ".json");
      BenchRun.json(json, "ops", 1, c);
      String text = Files.readString(json);
      Matcher m = Pattern.compile("\"max_error_ulps\": ([0-9.eE+-]+)").matcher(text);
      assertTrue(m.find(), text);
      // Single products: one truncation (<= 1 ulp); local truncation may in rare cases wrap, but
      // not at these magnitudes (probability ~2^-40 per element).
      assertTrue(Double.parseDouble(m.group(1)) <= 1.0, text);
    }
  }

  @Test
  void badOptionsAreRejectedWithANonZeroExit() {
    assertTrue(BenchCli.commandLine().execute("ops", "--op", "nope") != 0);
    assertTrue(BenchCli.commandLine().execute("ops", "--op", "poly", "--degree", "0") != 0);
  }
}
