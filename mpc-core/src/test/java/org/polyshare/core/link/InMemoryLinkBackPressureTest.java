package org.polyshare.core.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * {@link InMemoryLink}'s cap on unread bytes: a sender waits for the reader, never piles up more
 * than the cap plus one message, fails on a stalled reader after the timeout and at once on a
 * close.
 */
class InMemoryLinkBackPressureTest {
  private static final int CAP = 1024;

  @Test
  void aStreamNeverQueuesMoreThanTheCap() throws Exception {
    InMemoryLink[] l = InMemoryLink.pair(Duration.ofSeconds(20), CAP);
    int messages = 200;
    CompletableFuture<Void> sender =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < messages; i++) {
                long[] m = new long[40]; // 320 B: three fit under the cap, a fourth waits
                m[0] = i;
                l[0].send(5, m);
              }
            });
    for (int i = 0; i < messages; i++) {
      if (i % 50 == 0) {
        Thread.sleep(20); // a slow reader: the sender must wait, not queue everything
      }
      assertEquals(i, l[1].receiveLongs(5)[0], "in order");
    }
    sender.get(20, TimeUnit.SECONDS);
    assertEquals(3 * 320, l[1].peakQueuedBytes(), "three messages of 320 B fit a 1 KiB cap");
    assertEquals(0, l[1].queuedBytes());
  }

  @Test
  void aChunkedMessageIsHeldToTheCapPieceByPiece() throws Exception {
    InMemoryLink[] l = InMemoryLink.pair(Duration.ofSeconds(20), CAP);
    int n = 1000; // 8000 B in pieces of 40 longs (320 B): three pieces fit the cap
    long[] data = new long[n];
    for (int i = 0; i < n; i++) {
      data[i] = 7L * i;
    }
    CompletableFuture<Void> sender =
        CompletableFuture.runAsync(
            () -> {
              ChunkSink sink = l[0].openChunked(4, n);
              for (int at = 0; at < n; at += 40) {
                sink.put(data, at, 40);
              }
            });
    Thread.sleep(200);
    assertFalse(sender.isDone(), "the sender waits for the reader, it does not queue 8000 B");
    assertEquals(3 * 320, l[1].queuedBytes());
    long[] got = new long[n];
    l[1].receiveLongs(4, n, (piece, at) -> System.arraycopy(piece, 0, got, at, piece.length));
    sender.get(10, TimeUnit.SECONDS);
    assertArrayEquals(data, got);
    assertEquals(3 * 320, l[1].peakQueuedBytes());
    assertEquals(0, l[1].queuedBytes());
  }

  @Test
  void aSenderWaitsUntilTheReaderTakesAMessage() throws Exception {
    InMemoryLink[] l = InMemoryLink.pair(Duration.ofSeconds(20), CAP);
    l[0].send(1, new byte[600]);
    CompletableFuture<Void> second = CompletableFuture.runAsync(() -> l[0].send(1, new byte[600]));
    assertThrows(TimeoutException.class, () -> second.get(300, TimeUnit.MILLISECONDS));
    assertFalse(second.isDone(), "1200 B would pass the 1024 B cap");
    assertEquals(600, l[1].receiveBytes(1).length);
    second.get(10, TimeUnit.SECONDS);
    assertEquals(600, l[1].queuedBytes());
  }

  @Test
  void oneMessageLargerThanTheCapEntersAnEmptyQueue() {
    InMemoryLink[] l = InMemoryLink.pair(Duration.ofSeconds(5), CAP);
    long[] big = new long[10 * CAP];
    big[3] = 42;
    l[0].send(2, big);
    assertEquals(8L * big.length, l[1].queuedBytes());
    assertArrayEquals(big, l[1].receiveLongs(2));
  }

  @Test
  void aStalledReaderFailsTheSenderAfterTheTimeout() {
    InMemoryLink[] l = InMemoryLink.pair(Duration.ofMillis(300), CAP);
    l[0].send(1, new byte[CAP]);
    long t0 = System.nanoTime();
    LinkTimeoutException e =
        assertThrows(LinkTimeoutException.class, () -> l[0].send(1, new byte[1]));
    assertTrue(System.nanoTime() - t0 >= 250_000_000L, "waited about the timeout");
    assertTrue(e.getMessage().contains("party 1"), e.getMessage());
    assertTrue(e.getMessage().contains("not reading"), e.getMessage());
  }

  @Test
  void closingEitherEndWakesAWaitingSender() throws Exception {
    for (int closer = 0; closer < 2; closer++) {
      InMemoryLink[] l = InMemoryLink.pair(Duration.ofSeconds(30), CAP);
      l[0].send(1, new byte[CAP]);
      CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> l[0].send(1, new byte[8]));
      assertThrows(TimeoutException.class, () -> blocked.get(200, TimeUnit.MILLISECONDS));
      long t0 = System.nanoTime();
      l[closer].close();
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof LinkClosedException, String.valueOf(e.getCause()));
      assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "woken by the close, not the timeout");
    }
  }
}
