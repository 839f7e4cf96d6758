package org.polyshare.core.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Chunked messages over the in-memory and shaped links: the pieces reassemble exactly, count as one
 * message, reach a shaped receiver one by one as they leave the wire, and a peer that closes
 * mid-message ends the receive at once with the link's usual error.
 */
class ChunkedLinkTest {

  /** The pieces of one chunked receive, reassembled, with their offsets. */
  private static long[] receive(PartyLink l, int tag, int n, List<Integer> offsets) {
    long[] got = new long[n];
    l.receiveLongs(
        tag,
        n,
        (piece, at) -> {
          offsets.add(at);
          System.arraycopy(piece, 0, got, at, piece.length);
        });
    return got;
  }

  @Test
  void piecesReassembleAndCountAsOneMessage() {
    InMemoryLink[] l = InMemoryLink.pair(Duration.ofSeconds(10));
    PartyLink a = new PieceSizedLink(l[0], 1000);
    long[] data = new SplittableRandom(1).longs(10_001).toArray();
    a.sendChunked(4, data);
    a.sendChunked(4, new long[0]);
    a.send(5, new long[] {7});
    List<Integer> offsets = new ArrayList<>();
    assertArrayEquals(data, receive(l[1], 4, data.length, offsets));
    assertEquals(11, offsets.size(), "pieces of 1000 elements");
    assertEquals(10_000, offsets.get(10));
    List<Integer> none = new ArrayList<>();
    assertArrayEquals(new long[0], receive(l[1], 4, 0, none));
    assertEquals(List.of(0), none, "an empty message is one empty piece");
    assertArrayEquals(new long[] {7}, l[1].receiveLongs(5));
    assertEquals(new LinkStats.Snapshot(8L * data.length + 8, 0, 3, 0, 1), l[0].stats().snapshot());
    assertEquals(new LinkStats.Snapshot(0, 8L * data.length + 8, 0, 3, 0), l[1].stats().snapshot());
    l[0].close();
  }

  @Test
  void aPieceBeyondTheExpectedLengthIsAProtocolError() {
    InMemoryLink[] l = InMemoryLink.pair(Duration.ofSeconds(10));
    new PieceSizedLink(l[0], 4).sendChunked(9, new long[10]);
    LinkException e =
        assertThrows(LinkException.class, () -> receive(l[1], 9, 6, new ArrayList<>()));
    assertTrue(e.getMessage().contains("expected 6 ring elements"), e.getMessage());
    ChunkSink sink = l[0].openChunked(9, 3);
    sink.put(new long[3], 0, 2);
    assertThrows(IllegalStateException.class, () -> sink.put(new long[3], 0, 2), "past 3");
    l[0].close();
  }

  @Test
  void aPeerClosingMidMessageEndsTheReceiveAtOnce() throws Exception {
    InMemoryLink[] l = InMemoryLink.pair(Duration.ofSeconds(30));
    List<Integer> offsets = new ArrayList<>();
    CompletableFuture<long[]> waiting =
        CompletableFuture.supplyAsync(() -> receive(l[1], 2, 300, offsets));
    ChunkSink sink = l[0].openChunked(2, 300);
    sink.put(new long[100], 0, 100);
    Thread.sleep(100);
    long t0 = System.nanoTime();
    l[0].close();
    Exception e = assertThrows(Exception.class, () -> waiting.get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof LinkClosedException, String.valueOf(e.getCause()));
    assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
    assertTrue((System.nanoTime() - t0) / 1e6 < 5000, "not the 30 s timeout");
    assertEquals(List.of(0), offsets, "the first piece was handed over before the close");
  }

  @Test
  void aShapedReceiverGetsEachPieceAsItLeavesTheWire() {
    // 1 MB at 10 Mbit/s is 800 ms of wire; in 64 KiB pieces the first is in after ~52 ms, the
    // last after 800 ms. Shaping only delays, so the gap is at least the 15 later pieces' wire.
    NetworkProfile p = new NetworkProfile("slow", 10_000_000L, Duration.ZERO);
    InMemoryLink[] raw = InMemoryLink.pair(Duration.ofSeconds(20));
    PartyLink a = new PieceSizedLink(ShapedLink.wrap(raw[0], p), 8192);
    long[] data = new SplittableRandom(2).longs(125_000).toArray();
    a.sendChunked(1, data);
    long[] got = new long[data.length];
    long[] first = new long[1];
    raw[1].receiveLongs(
        1,
        data.length,
        (piece, at) -> {
          if (at == 0) {
            first[0] = System.nanoTime();
          }
          System.arraycopy(piece, 0, got, at, piece.length);
        });
    long gapMs = (System.nanoTime() - first[0]) / 1_000_000;
    assertArrayEquals(data, got);
    assertTrue(gapMs >= 600, "the last piece came only " + gapMs + " ms after the first");
    assertEquals(8L * data.length, raw[0].stats().bytesSent());
    assertEquals(1, raw[0].stats().messagesSent());
    a.close();
  }

  /**
   * A chunked receive counts at its first piece, so an answer sent while later pieces are still on
   * the wire (a streamed hand-off) is a new round, as an answer after the whole receive is:
   * in-memory and shaped, the receiver's rounds are 2 (send, then answer) and its bytes those of
   * the messages.
   */
  @Test
  void anAnswerSentInsideTheReceiveIsANewRound() {
    for (NetworkProfile net :
        new NetworkProfile[] {
          NetworkProfile.LOOPBACK, new NetworkProfile("slow", 10_000_000L, Duration.ofMillis(2))
        }) {
      InMemoryLink[] raw = InMemoryLink.pair(Duration.ofSeconds(10));
      PartyLink a = new PieceSizedLink(ShapedLink.wrap(raw[0], net), 100);
      PartyLink b = new PieceSizedLink(ShapedLink.wrap(raw[1], net), 100);
      b.send(1, new long[] {1});
      a.receiveLongs(1);
      a.sendChunked(2, new long[1000]);
      ChunkSink[] answer = new ChunkSink[1];
      b.receiveLongs(
          2,
          1000,
          (piece, at) -> {
            if (answer[0] == null) {
              answer[0] = b.openChunked(3, 1000);
            }
            answer[0].put(piece, 0, piece.length);
          });
      long[] back = new long[1000];
      a.receiveLongs(3, 1000, (piece, at) -> System.arraycopy(piece, 0, back, at, piece.length));
      assertEquals(new LinkStats.Snapshot(8008, 8000, 2, 1, 2), b.stats().snapshot(), net.name());
      assertEquals(new LinkStats.Snapshot(8000, 8008, 1, 2, 1), a.stats().snapshot(), net.name());
      a.close();
      b.close();
    }
  }
}
