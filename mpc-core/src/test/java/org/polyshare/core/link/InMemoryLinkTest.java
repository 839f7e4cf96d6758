package org.polyshare.core.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryLinkTest {
  @Test
  void tagsAreIndependentQueuesAndPayloadsAreCopied() {
    InMemoryLink[] l = InMemoryLink.pair(Duration.ofSeconds(5));
    long[] msg = {1, 2, 3};
    l[0].send(7, msg);
    l[0].send(9, new byte[] {4});
    l[0].send(7, new long[] {5});
    msg[0] = 99;
    assertArrayEquals(new byte[] {4}, l[1].receiveBytes(9));
    assertArrayEquals(new long[] {1, 2, 3}, l[1].receiveLongs(7));
    assertArrayEquals(new long[] {5}, l[1].receiveLongs(7));
    assertEquals(33, l[0].stats().bytesSent());
    assertEquals(33, l[1].stats().bytesReceived());
    assertEquals(1, l[0].stats().rounds());
  }

  @Test
  void roundsCountDirectionChanges() {
    TwoParties.Result<Long> r =
        TwoParties.run(
            link -> {
              for (int i = 0; i < 3; i++) {
                link.send(1, new long[] {i});
                link.receiveLongs(1);
              }
              return link.stats().rounds();
            },
            link -> {
              for (int i = 0; i < 3; i++) {
                link.send(1, new long[] {i});
                link.receiveLongs(1);
              }
              return link.stats().rounds();
            });
    assertEquals(3L, r.party0());
    assertEquals(3L, r.party1());
  }

  @Test
  void receiveTimesOutWithAClearMessage() {
    InMemoryLink[] l = InMemoryLink.pair(Duration.ofMillis(50));
    LinkTimeoutException e = assertThrows(LinkTimeoutException.class, () -> l[1].receiveLongs(3));
    assertTrue(e.getMessage().contains("tag 3"), e.getMessage());
  }

  @Test
  void peerCloseWakesAWaitingReceiveButKeepsQueuedMessages() throws Exception {
    InMemoryLink[] l = InMemoryLink.pair(Duration.ofSeconds(30));
    l[0].send(1, new long[] {42});
    Thread closer =
        new Thread(
            () -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
              }
              l[0].close();
            });
    closer.start();
    assertArrayEquals(new long[] {42}, l[1].receiveLongs(1));
    long t0 = System.nanoTime();
    assertThrows(LinkClosedException.class, () -> l[1].receiveLongs(1));
    assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
    closer.join();
    assertThrows(LinkException.class, () -> l[1].receiveBytes(2));
  }

  @Test
  void wrongPayloadKindIsAProtocolError() {
    InMemoryLink[] l = InMemoryLink.pair(Duration.ofSeconds(5));
    l[0].send(1, new byte[] {1});
    LinkException e = assertThrows(LinkException.class, () -> l[1].receiveLongs(1));
    assertTrue(e.getMessage().contains("expected ring elements"), e.getMessage());
  }

  @Test
  void failureOnOneSideIsReportedNotTheOtherSidesClosedLink() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                TwoParties.run(
                    link -> link.receiveLongs(1),
                    link -> {
                      throw new IllegalStateException("party 1 broke");
                    }));
    assertEquals("party 1 broke", e.getMessage());
  }
}
