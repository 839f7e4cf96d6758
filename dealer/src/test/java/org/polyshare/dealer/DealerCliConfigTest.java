package org.polyshare.dealer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.core.ops.LogSetup;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dealer serve --config FILE}: the file's values apply, flags override them, unknown keys
 * are refused.
 */
class DealerCliConfigTest {
  @TempDir Path dir;

  private Path config(String text) throws IOException {
    Path f = dir.resolve("dealer.properties");
    Files.writeString(f, text);
    return f;
  }

  /** The serve command's spec after parsing {@code args} (nothing runs). */
  private static CommandSpec serve(String... args) {
    CommandLine cmd = DealerCli.commandLine(args);
    cmd.parseArgs(args);
    return cmd.getSubcommands().get("serve").getCommandSpec();
  }

  private static Object value(CommandSpec spec, String option) {
    return spec.findOption(option).getValue();
  }

  @Test
  void theFileGivesEveryServerOptionIncludingRequiredOnes() throws IOException {
    Path f =
        config(
            """
        # dealer host
        port = 7101
        certs = /etc/polyshare/certs
        pair-timeout = 5
        idle-timeout = 30
        max-frame-mb = 64
        metrics-port = 9100
        metrics-bind = 127.0.0.1
        log-level = debug
        """);
    CommandSpec s;
    try {
      s = serve("serve", "--config", f.toString());
      assertEquals(Level.DEBUG, LogSetup.level());
    } finally {
      LogSetup.level(Level.INFO);
    }
    assertEquals(7101, value(s, "--port"));
    assertEquals(Path.of("/etc/polyshare/certs"), value(s, "--certs"));
    assertEquals(5, value(s, "--pair-timeout"));
    assertEquals(30, value(s, "--idle-timeout"));
    assertEquals(64, value(s, "--max-frame-mb"));
    assertEquals(9100, value(s, "--metrics-port"));
    assertEquals("127.0.0.1", value(s, "--metrics-bind"));
  }

  @Test
  void flagsOverrideTheFileWhereverTheyStand() throws IOException {
    Path f = config("port = 7101\ncerts = certs\npair-timeout = 5\n");
    CommandSpec after = serve("serve", "--config", f.toString(), "--port", "7200");
    assertEquals(7200, value(after, "--port"));
    assertEquals(5, value(after, "--pair-timeout"));
    CommandSpec before = serve("serve", "--pair-timeout", "9", "--config=" + f);
    assertEquals(9, value(before, "--pair-timeout"));
    assertEquals(7101, value(before, "--port"));
    // without the file: the built-in defaults
    assertEquals(60, value(serve("serve", "--port", "1", "--certs", "c"), "--pair-timeout"));
  }

  @Test
  void anUnknownKeyIsRefusedWithTheValidKeys() throws IOException {
    Path f = config("port = 7101\ncerts = certs\nprot = 7100\n");
    StringWriter err = new StringWriter();
    String[] args = {"serve", "--config", f.toString()};
    int code = DealerCli.commandLine(args).setErr(new PrintWriter(err)).execute(args);
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("unknown key 'prot'"), err.toString());
    assertTrue(
        err.toString()
            .contains(
                "valid keys: certs, drain-timeout, idle-timeout, log-format, log-level, max-frame-mb,"
                    + " metrics-bind, metrics-port, pair-timeout, port"),
        err.toString());
  }

  @Test
  void aMissingFileIsAUsageError() {
    StringWriter err = new StringWriter();
    String[] args = {"serve", "--config", dir.resolve("nope.properties").toString()};
    assertEquals(2, DealerCli.commandLine(args).setErr(new PrintWriter(err)).execute(args));
    assertTrue(err.toString().contains("cannot read config file"), err.toString());
  }
}
