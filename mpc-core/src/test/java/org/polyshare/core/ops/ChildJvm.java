package org.polyshare.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM running one of our mains on the test class path, its output collected line by line
 * (shared by the dealer and party process tests).
 */
public record ChildJvm(Process process, List<String> lines) {
  /** With Netty's leak detector at PARANOID. */
  public static ChildJvm launch(Class<?> main, String... args) throws IOException {
    return launch("paranoid", main, args);
  }

  public static ChildJvm launch(String leakDetection, Class<?> main, String... args)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "-Dio.netty.leakDetection.level=" + leakDetection,
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    ProcessLines.collect(p, lines, main.getSimpleName() + "-output");
    return new ChildJvm(p, lines);
  }

  public String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /** Sends SIGTERM ({@code Process.destroy} would also close our end of its output). */
  public void sigterm() {
    process.toHandle().destroy();
  }

  /**
   * Fails unless the JVM exits with {@code code} within {@code seconds}; a failure shows its
   * output.
   */
  public void assertExits(int code, long seconds) throws InterruptedException {
    assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), output());
    assertEquals(code, process.exitValue(), output());
  }

  /**
   * Waits (≤ 60 s) for a line matching {@code p}; returns the number in its group 1, or 0 without
   * one.
   */
  public int awaitNumber(Pattern p) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      synchronized (lines) {
        for (String l : lines) {
          Matcher m = p.matcher(l);
          if (m.find()) {
            return m.groupCount() == 0 ? 0 : Integer.parseInt(m.group(1));
          }
        }
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no line matching " + p + ":\n" + output());
  }
}
