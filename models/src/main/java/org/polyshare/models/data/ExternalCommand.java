package org.polyshare.models.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs an outside program that fetches a data set (apt-get, npm) to its end, with errors that name
 * the command: it cannot start, it runs past its time, or it exits non-zero (with its output).
 */
final class ExternalCommand {
  private ExternalCommand() {}

  /**
   * Starts {@code pb} (its output and errors merged) and waits up to {@code timeoutSeconds}; if it
   * cannot start, the error says {@code cannotStart} with {@code %s} the reason.
   */
  static void run(ProcessBuilder pb, long timeoutSeconds, String cannotStart)
      throws IOException, InterruptedException {
    String cmd = String.join(" ", pb.command());
    Process p;
    try {
      p = pb.redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(String.format(cannotStart, e.getMessage()), e);
    }
    byte[] log = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(cmd + " did not finish within " + timeoutSeconds + " s");
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          cmd
              + " failed (exit "
              + p.exitValue()
              + "): "
              + new String(log, StandardCharsets.UTF_8).strip());
    }
  }
}
