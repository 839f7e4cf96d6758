package org.polyshare.core.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Shaping can only delay, so these lower bounds hold however loaded the machine is. */
class ShapedLinkTest {
  /** 100 Mbit/s and no latency: the bandwidth alone bounds the transfer. */
  private static final NetworkProfile SLOW =
      new NetworkProfile("slow", 100_000_000L, Duration.ZERO);

  @Test
  void roundTripTakesAtLeastTheProfilesRtt() {
    NetworkProfile p = new NetworkProfile("test", 0, Duration.ofMillis(20));
    InMemoryLink[] raw = InMemoryLink.pair(Duration.ofSeconds(10));
    PartyLink a = ShapedLink.wrap(raw[0], p);
    PartyLink b = ShapedLink.wrap(raw[1], p);
    long t0 = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      a.send(1, new long[] {i});
      assertArrayEquals(new long[] {i}, b.receiveLongs(1));
      b.send(2, new long[] {-i});
      assertArrayEquals(new long[] {-i}, a.receiveLongs(2));
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 60, "3 round trips at 20 ms took only " + ms + " ms");
    a.close();
    b.close();
  }

  @Test
  void trafficIsCountedWhenThePartySendsNotWhenTheWireDelivers() {
    // A meter reads the counters right after a phase's sends: with 200 ms of emulated latency the
    // messages are still in flight, yet they belong to this phase (and to one round each way).
    NetworkProfile p = new NetworkProfile("far", 0, Duration.ofMillis(400));
    InMemoryLink[] raw = InMemoryLink.pair(Duration.ofSeconds(10));
    PartyLink a = ShapedLink.wrap(raw[0], p);
    PartyLink b = ShapedLink.wrap(raw[1], p);
    a.send(1, new long[100]);
    a.openChunked(2, 30).put(new long[30], 0, 30);
    assertEquals(1040, a.stats().bytesSent(), "counted at the send, before delivery");
    assertEquals(2, a.stats().messagesSent());
    assertEquals(1, a.stats().rounds());
    assertEquals(0, raw[1].stats().bytesReceived(), "still on the emulated wire");
    assertEquals(100, b.receiveLongs(1).length);
    long[] got = new long[30];
    b.receiveLongs(2, 30, (piece, at) -> System.arraycopy(piece, 0, got, at, piece.length));
    assertEquals(1040, b.stats().bytesReceived());
    assertEquals(2, b.stats().messagesReceived());
    a.close();
    b.close();
  }

  @Test
  void bandwidthBoundsLargeTransfersAndKeepsOrder() {
    // 4 messages of 1 MB at 100 Mbit/s need at least 4 * 80 ms on the wire.
    InMemoryLink[] raw = InMemoryLink.pair(Duration.ofSeconds(10));
    PartyLink a = ShapedLink.wrap(raw[0], SLOW);
    long t0 = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      long[] m = new long[125_000];
      m[0] = i;
      a.send(1, m);
    }
    for (int i = 0; i < 4; i++) {
      assertEquals(i, raw[1].receiveLongs(1)[0]);
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 320, "4 MB at 100 Mbit/s arrived after only " + ms + " ms");
    assertEquals(4_000_000, raw[0].stats().bytesSent());
    a.close();
  }

  @Test
  void manySmallMessagesOfOneTagArriveInSendOrder() {
    // Back-to-back tiny messages depart nanoseconds apart: delivery must still be FIFO, since
    // the receiver's per-tag mailbox takes them in arrival order.
    NetworkProfile p = NetworkProfile.LAN;
    InMemoryLink[] raw = InMemoryLink.pair(Duration.ofSeconds(10));
    PartyLink a = ShapedLink.wrap(raw[0], p);
    for (int i = 0; i < 20_000; i++) {
      a.send(7, new long[] {i});
    }
    for (int i = 0; i < 20_000; i++) {
      assertEquals(i, raw[1].receiveLongs(7)[0]);
    }
    a.close();
  }

  @Test
  void aSenderFarAheadOfTheWireBlocksLikeAFullSocketBuffer() {
    // 24 MiB at 100 Mbit/s: ~2 s of wire. With a 4 MiB send buffer the last send cannot return
    // before ~20 MiB have left, i.e. after ~1.7 s.
    InMemoryLink[] raw = InMemoryLink.pair(Duration.ofSeconds(10));
    PartyLink a = ShapedLink.wrap(raw[0], SLOW);
    long t0 = System.nanoTime();
    for (int i = 0; i < 24; i++) {
      a.send(1, new long[1 << 17]);
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    long floor =
        (24L - ShapedLink.SEND_BUFFER_BYTES / (1 << 20) - 1) * (1 << 20) * 8 * 1000 / 100_000_000L;
    assertTrue(ms >= floor, "24 MiB of sends returned after " + ms + " ms, below " + floor);
    a.close();
  }

  @Test
  void profilesByName() {
    assertSame(NetworkProfile.LAN, NetworkProfile.named("LAN"));
    assertEquals(40, NetworkProfile.named("wan").roundTrip().toMillis());
    InMemoryLink[] raw = InMemoryLink.pair();
    assertSame(raw[0], ShapedLink.wrap(raw[0], NetworkProfile.named("loopback")));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NetworkProfile.named("5g"));
    assertTrue(e.getMessage().contains("loopback, lan or wan"));
  }
}
