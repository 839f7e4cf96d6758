package org.polyshare.core.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The output of a child process collected line by line on a daemon thread: the launcher (bench's
 * separate-JVM runs, the process tests) reads it for ports, progress and error messages while the
 * child runs. Without a reader a chatty child would block on a full pipe.
 */
public final class ProcessLines {
  private ProcessLines() {}

  /**
   * Starts a daemon thread named {@code threadName} that adds each line {@code p} prints (UTF-8) to
   * {@code lines} until its output ends; {@code lines} must be safe to add to from that thread.
   */
  public static void collect(Process p, List<String> lines, String threadName) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            threadName);
    t.setDaemon(true);
    t.start();
  }
}
