package org.polyshare.models.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs an outside program that fetches a data set (apt-get, npm) to its end, with errors that name
 * the command: it cannot start, it runs past its time, or it exits non-zero (with its output).
 */
final class ExternalCommand {
  private ExternalCommand() {}

  /**
   * Starts {@code pb} (its output and errors merged) and waits up to {@code timeoutSeconds}; if it
   * cannot start, the error says {@code cannotStart} with {@code %s} the reason. The output goes to
   * a temporary file, not a pipe: reading a pipe to its end would wait for every process holding it
   * (a child the program left behind, too), past any timeout.
   */
  static void run(ProcessBuilder pb, long timeoutSeconds, String cannotStart)
      throws IOException, InterruptedException {
    String cmd = String.join(" ", pb.command());
    Path out = Files.createTempFile("polyshare-command", ".log");
    try {
      Process p;
      try {
        p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
      } catch (IOException e) {
        throw new IOException(String.format(cannotStart, e.getMessage()), e);
      }
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new IOException(cmd + " did not finish within " + timeoutSeconds + " s");
      }
      check(cmd, p.exitValue(), Files.readAllBytes(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static void check(String cmd, int exit, byte[] log) throws IOException {
    if (exit != 0) {
      throw new IOException(
          cmd + " failed (exit " + exit + "): " + new String(log, StandardCharsets.UTF_8).strip());
    }
  }
}
