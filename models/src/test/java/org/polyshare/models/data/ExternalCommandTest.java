package org.polyshare.models.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The fetchers' outside program: each way it can go wrong is one error naming the command. */
class ExternalCommandTest {
  @Test
  void aCleanExitReturns() throws Exception {
    ExternalCommand.run(new ProcessBuilder("sh", "-c", "echo fine"), 10, "cannot start: %s");
  }

  @Test
  void aNonZeroExitNamesTheCommandItsCodeAndItsOutput() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                ExternalCommand.run(
                    new ProcessBuilder("sh", "-c", "echo out; echo err >&2; exit 3"),
                    10,
                    "cannot start: %s"));
    assertEquals("sh -c echo out; echo err >&2; exit 3 failed (exit 3): out\nerr", e.getMessage());
  }

  @Test
  void aProgramThatCannotStartSaysTheCallersSentenceWithTheReason() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                ExternalCommand.run(
                    new ProcessBuilder("polyshare-no-such-program"),
                    10,
                    "cannot run it (%s); try X"));
    assertTrue(e.getMessage().startsWith("cannot run it ("), e.getMessage());
    assertTrue(e.getMessage().endsWith("); try X"), e.getMessage());
    assertTrue(e.getMessage().contains("polyshare-no-such-program"), e.getMessage());
  }

  @Test
  void aProgramPastItsTimeIsStoppedAndNamed() {
    assertStoppedAfterOneSecond("exec sleep 30 >/dev/null 2>&1");
  }

  @Test
  void aProgramPastItsTimeIsStoppedEvenWhileItHoldsItsOutputOpen() {
    long start = System.nanoTime();
    assertStoppedAfterOneSecond("echo busy; sleep 30");
    assertTrue(System.nanoTime() - start < 20_000_000_000L, "the timeout bounded the wait");
  }

  /** {@code sh -c script} with a 1 s limit fails, naming the command and the limit. */
  private static void assertStoppedAfterOneSecond(String script) {
    IOException e =
        assertThrows(
            IOException.class,
            () -> ExternalCommand.run(new ProcessBuilder("sh", "-c", script), 1, "%s"));
    assertEquals("sh -c " + script + " did not finish within 1 s", e.getMessage());
  }
}
