package org.polyshare.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.polyshare.core.link.NetworkProfile;

/**
 * The link benchmark's round trip works on both links, whole and chunked, unshaped and shaped (no
 * timing).
 */
class LinkBenchmarkTest {
  @ParameterizedTest
  @CsvSource({
    "memory, 1, false, loopback",
    "memory, 40000, true, loopback",
    "netty, 1, false, loopback",
    "netty, 40000, true, loopback",
    "memory, 40000, true, lan",
    "netty, 40000, false, lan",
    "netty, 40000, true, lan"
  })
  void aRoundTripIsAnsweredWithTheLastElement(String link, int longs, boolean chunked, String net)
      throws Exception {
    LinkBenchmark b = new LinkBenchmark();
    b.link = link;
    b.longs = longs;
    b.chunked = chunked;
    b.net = net;
    b.setup();
    try {
      long expected = new java.util.SplittableRandom(1).longs(longs).toArray()[longs - 1];
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        assertEquals(expected, b.roundTrip());
        long took = System.nanoTime() - start;
        // shaped: a round trip can never beat the profile's wire (a lower bound, load-proof)
        long floor = net.equals("lan") ? lanRoundTripNanos(8L * longs) : 0;
        assertTrue(
            took >= floor,
            "a lan round trip of " + 8L * longs + " bytes took " + took + " ns < " + floor);
      }
    } finally {
      b.tearDown();
    }
  }

  /** {@code bytes} one way and 8 back at the lan profile: both serialisations and one RTT. */
  private static long lanRoundTripNanos(long bytes) {
    NetworkProfile lan = NetworkProfile.LAN;
    return (bytes + 8) * 8L * 1_000_000_000L / lan.bitsPerSecond() + lan.roundTrip().toNanos();
  }
}
