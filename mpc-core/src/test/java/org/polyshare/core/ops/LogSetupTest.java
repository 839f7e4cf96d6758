package org.polyshare.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code --log-level} / {@code --log-format} on a command line, and the lines they give on stderr.
 */
class LogSetupTest {
  private static final Logger LOG = LoggerFactory.getLogger(LogSetupTest.class);

  @Command(name = "tool", subcommands = Sub.class)
  static final class Tool implements Runnable {
    @CommandLine.Mixin LogOptions logging;

    @Override
    public void run() {}
  }

  @Command(name = "sub")
  static final class Sub implements Runnable {
    @Override
    public void run() {
      try (SessionMdc ignored = SessionMdc.of("s1@0a1b")) {
        LOG.trace("not shown at debug");
        LOG.debug("hello {}", 42);
        LOG.info("quote \" and done");
      }
    }
  }

  @AfterEach
  void restore() {
    LogSetup.format(LogSetup.Format.TEXT);
    LogSetup.level(Level.INFO);
  }

  /** Runs {@code args} with stderr captured; the lines written there. */
  private static List<String> stderrOf(String... args) {
    PrintStream before = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, new CommandLine(new Tool()).execute(args));
    } finally {
      System.setErr(before);
    }
    return buf.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void jsonIsOneObjectPerLineWithTheSessionAndTheFormattedMessage() {
    List<String> lines = stderrOf("sub", "--log-format", "json", "--log-level", "debug");
    assertEquals(Level.DEBUG, LogSetup.level());
    assertEquals(2, lines.size(), String.join("\n", lines));
    for (String l : lines) {
      assertTrue(l.startsWith("{") && l.endsWith("}"), l);
      assertTrue(l.contains("\"mdc\": {\"session\":\"s1@0a1b\"}"), l);
      assertTrue(l.contains("\"timestamp\":"), l);
    }
    assertTrue(
        lines.get(0).contains("\"level\":\"DEBUG\"")
            && lines.get(0).contains("\"formattedMessage\":\"hello 42\""),
        lines.get(0));
    assertTrue(lines.get(1).contains("\"formattedMessage\":\"quote \\\" and done\""), lines.get(1));
  }

  @Test
  void textLinesHaveATimestampTheLevelTheLoggerAndTheSession() {
    // inherited: given before the subcommand, on the top command
    List<String> lines = stderrOf("--log-level", "INFO", "sub");
    assertEquals(1, lines.size(), String.join("\n", lines));
    assertTrue(
        lines
            .get(0)
            .matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  LogSetupTest \\[main]"
                    + " session=s1@0a1b - quote \" and done"),
        lines.get(0));
  }

  @Test
  void aBadLevelIsAUsageErrorNamingTheLevels() {
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new Tool())
            .setErr(new PrintWriter(err))
            .execute("sub", "--log-level", "loud");
    assertEquals(2, code);
    assertTrue(
        err.toString().contains("TRACE, DEBUG, INFO, WARN, ERROR, OFF; got 'loud'"),
        err.toString());
  }
}
