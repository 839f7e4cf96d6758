package org.polyshare.bench.compare;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A text progress bar on stderr: steps done out of a known total, the current activity and the
 * elapsed time, redrawn in place every half second on a terminal (one line per step otherwise).
 */
final class Progress implements AutoCloseable {
  private final PrintStream out;
  private final int total;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private final Thread ticker;
  private volatile int done;
  private volatile String activity = "";
  private volatile boolean closed;

  /** A progress that shows nothing (for the party whose steps the other one reports). */
  static Progress silent() {
    return new Progress(System.err, 1, false);
  }

  Progress(PrintStream out, int total, boolean enabled) {
    this.out = out;
    this.total = Math.max(1, total);
    this.terminal = enabled && System.console() != null;
    if (terminal) {
      ticker = new Thread(this::tick, "compare-progress");
      ticker.setDaemon(true);
      ticker.start();
    } else {
      ticker = null;
    }
    if (!enabled) {
      closed = true;
    }
  }

  /** Starts a step described by {@code what}. */
  void begin(String what) {
    activity = what;
    if (!terminal && !closed) {
      out.println(line());
    }
  }

  /** Ends the current step. */
  void step() {
    done = Math.min(total, done + 1);
  }

  private String line() {
    int width = 30;
    int filled = (int) ((long) done * width / total);
    return String.format(
        Locale.ROOT,
        "[%s%s] %3d/%d  %6.1f s  %s",
        "#".repeat(filled),
        "-".repeat(width - filled),
        done,
        total,
        (System.nanoTime() - start) / 1e9,
        activity);
  }

  private void tick() {
    while (!closed) {
      synchronized (out) {
        out.print("\r" + line() + "\u001b[K");
        out.flush();
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (terminal) {
      ticker.interrupt();
      synchronized (out) {
        out.print("\r" + line() + "\u001b[K\n");
        out.flush();
      }
    }
  }
}
