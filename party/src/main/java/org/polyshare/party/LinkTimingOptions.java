package org.polyshare.party;

import java.time.Duration;
import org.polyshare.core.link.NetworkProfile;
import picocli.CommandLine.Option;

/**
 * {@code --timeout}, {@code --connect-deadline} and {@code --net}, mixed into {@code party run} and
 * {@code party serve}: how long a party waits and retries, and the network it emulates.
 */
final class LinkTimingOptions {
  @Option(
      names = "--timeout",
      defaultValue = "120",
      description = "seconds any receive may wait (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(
      names = "--net",
      defaultValue = "loopback",
      description =
          "network profile to emulate on this party's links: loopback (none), lan (1 Gbit/s, 0.5 ms RTT) or wan (100 Mbit/s, 40 ms RTT) (default: ${DEFAULT-VALUE})")
  String net;

  @Option(
      names = "--connect-deadline",
      defaultValue = "60",
      description = "seconds to keep retrying connections (default: ${DEFAULT-VALUE})")
  int connectSeconds;

  Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }

  Duration connectDeadline() {
    return Duration.ofSeconds(connectSeconds);
  }

  /** The named profile; an unknown name is refused. */
  NetworkProfile profile() {
    return NetworkProfile.named(net);
  }
}
