package org.polyshare.core.link;

import java.time.Duration;
import java.util.Locale;

/**
 * A network to emulate on top of a link: bandwidth each way and round-trip time.
 *
 * <p>{@code lan} = 1 Gbit/s and 0.5 ms RTT, {@code wan} = 100 Mbit/s and 40 ms RTT (the profiles
 * Delphi-style papers report), {@code loopback} = unshaped. See {@link ShapedLink} for the model.
 */
public record NetworkProfile(String name, long bitsPerSecond, Duration roundTrip) {
  public static final NetworkProfile LOOPBACK = new NetworkProfile("loopback", 0, Duration.ZERO);
  public static final NetworkProfile LAN =
      new NetworkProfile("lan", 1_000_000_000L, Duration.ofNanos(500_000));
  public static final NetworkProfile WAN =
      new NetworkProfile("wan", 100_000_000L, Duration.ofMillis(40));

  public NetworkProfile {
    if (bitsPerSecond < 0 || roundTrip.isNegative()) {
      throw new IllegalArgumentException("bandwidth and round trip must be non-negative");
    }
  }

  public boolean shaped() {
    return bitsPerSecond > 0 || !roundTrip.isZero();
  }

  /** {@code loopback}, {@code lan} or {@code wan}. */
  public static NetworkProfile named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "loopback", "none" -> LOOPBACK;
      case "lan" -> LAN;
      case "wan" -> WAN;
      default ->
          throw new IllegalArgumentException(
              "unknown network profile '" + name + "'; use loopback, lan or wan");
    };
  }

  @Override
  public String toString() {
    if (!shaped()) {
      return name + " (unshaped)";
    }
    return String.format(
        Locale.ROOT,
        "%s (%s Mbit/s each way, %.1f ms round trip)",
        name,
        bitsPerSecond == 0 ? "unlimited" : Long.toString(bitsPerSecond / 1_000_000),
        roundTrip.toNanos() / 1e6);
  }
}
