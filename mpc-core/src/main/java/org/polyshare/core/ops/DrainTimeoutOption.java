package org.polyshare.core.ops;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --drain-timeout} of a server command ({@code dealer serve}, {@code party serve}). */
public final class DrainTimeoutOption {
  @Option(
      names = "--drain-timeout",
      defaultValue = "30",
      description =
          "on SIGTERM, seconds running sessions may"
              + " take to finish before they are ended; exit code 0 if none had to be, 3 otherwise (default: ${DEFAULT-VALUE})")
  int seconds;

  /** The grace period; a negative one is refused naming the option. */
  public Duration duration() {
    if (seconds < 0) {
      throw new IllegalArgumentException("--drain-timeout must be >= 0 seconds, got " + seconds);
    }
    return Duration.ofSeconds(seconds);
  }
}
