package org.polyshare.bench.compare;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.polyshare.bench.BenchCli;
import picocli.CommandLine;

/** One in-process {@code bench} invocation with its exit code and captured output. */
public record BenchCliRun(int exit, String out, String err) {

  /** Runs {@code bench args...}, capturing what picocli prints. */
  public static BenchCliRun run(String... args) {
    CommandLine cli = BenchCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new BenchCliRun(exit, out.toString(), err.toString());
  }

  /**
   * {@code bench compare} of one repetition, no warm-up and no progress lines, its reports written
   * to {@code out}; {@code args} name the models and anything else.
   */
  static BenchCliRun compare(Path out, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "compare",
                "--repeat",
                "1",
                "--warmup",
                "0",
                "--no-progress",
                "--out",
                out.toString()));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  /** The JSON report {@code dir/base.json}. */
  static JsonObject json(Path dir, String base) throws IOException {
    return JsonParser.parseString(Files.readString(dir.resolve(base + ".json"))).getAsJsonObject();
  }

  /** Skips the test unless {@code mvn package} has built the dealer and party jars. */
  public static void assumePackagedJars() {
    Path root = SeparateJvmRunner.projectRoot();
    Assumptions.assumeTrue(
        Files.isRegularFile(root.resolve("party/target/polyshare-party.jar"))
            && Files.isRegularFile(root.resolve("dealer/target/polyshare-dealer.jar")),
        "needs the packaged dealer and party jars (mvn package / verify)");
  }
}
