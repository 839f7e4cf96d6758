package org.polyshare.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one {@code bench} command in process with one repetition and its JSON report written to a
 * file, asserts exit code 0 and returns the report.
 */
final class BenchRun {
  private BenchRun() {}

  /**
   * {@code bench command args... --reps 1 --warmup warmup --json json}, the report read back from
   * {@code json}.
   */
  static JsonObject json(Path json, String command, int warmup, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    all.addAll(
        List.of("--reps", "1", "--warmup", Integer.toString(warmup), "--json", json.toString()));
    String[] argv = all.toArray(String[]::new);
    assertEquals(0, BenchCli.commandLine().execute(argv), String.join(" ", argv));
    return JsonParser.parseString(Files.readString(json)).getAsJsonObject();
  }
}
