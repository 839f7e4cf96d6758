package org.polyshare.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The link benchmark's round trip works on both links, whole and chunked (no timing). */
class LinkBenchmarkTest {
  @ParameterizedTest
  @CsvSource({"memory, 1, false", "memory, 40000, true", "netty, 1, false", "netty, 40000, true"})
  void aRoundTripIsAnsweredWithTheLastElement(String link, int longs, boolean chunked)
      throws Exception {
    LinkBenchmark b = new LinkBenchmark();
    b.link = link;
    b.longs = longs;
    b.chunked = chunked;
    b.setup();
    try {
      long expected = new java.util.SplittableRandom(1).longs(longs).toArray()[longs - 1];
      for (int i = 0; i < 3; i++) {
        assertEquals(expected, b.roundTrip());
      }
    } finally {
      b.tearDown();
    }
  }
}
