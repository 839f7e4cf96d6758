package org.polyshare.core.net;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * How a server's drain went: it stopped accepting, {@code finished} sessions that were running
 * ended on their own within the drain timeout, {@code ended} were ended by the drain with an error
 * to their peers (still running at the timeout, or waiting for a peer that could no longer come).
 *
 * <p>The exit code a server process reports after a drain: {@value #EXIT_DRAINED} when the drain
 * ended no session, {@value #EXIT_SESSIONS_ENDED} when it had to end some.
 */
public record DrainReport(int finished, int ended, Duration took) {
  public static final int EXIT_DRAINED = 0;
  public static final int EXIT_SESSIONS_ENDED = 3;

  public int exitCode() {
    return ended == 0 ? EXIT_DRAINED : EXIT_SESSIONS_ENDED;
  }

  @Override
  public String toString() {
    return finished
        + " session(s) finished, "
        + ended
        + " ended by the drain, in "
        + took.toMillis()
        + " ms";
  }

  /** Polls {@code idle} every 20 ms until it holds or {@code timeout} passed; true if it held. */
  public static boolean await(BooleanSupplier idle, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!idle.getAsBoolean()) {
      if (System.nanoTime() - end >= 0) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return idle.getAsBoolean();
      }
    }
    return true;
  }
}
