package org.polyshare.core.gc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.correlation.RandomOts;
import org.polyshare.core.link.ChunkListener;
import org.polyshare.core.link.ForwardingPartyLink;
import org.polyshare.core.link.InMemoryLink;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.ring.FixedPoint;

/**
 * What a garbled-circuit layer keeps on the heap does not grow with its width: party 0's random OTs
 * stay a seed (expanded block by block as garbled), and party 0's active labels of {@code a} (1 KiB
 * per value) travel in blocks of {@link SharedGc#CHUNK} values that party 1 evaluates as they
 * arrive. Deterministic: asserts on sizes, not on time.
 */
class GcBoundedMemoryTest {
  @Test
  void party0sRandomOtsForAWideLayerHoldNoStringsOnTheHeap() {
    int n = 64 * 65_536; // a ResNet-18 layer of 64×32×32 ReLUs: 128 MiB of sender strings
    InProcessDealer dealer = new InProcessDealer();
    RandomOts sender = dealer.source(0).randomOts(n);
    RandomOts receiver = dealer.source(1).randomOts(n);
    assertTrue(sender.isSender());
    assertEquals(0, sender.heapBytes(), "the sender's strings stay a seed");
    assertEquals(8L * (2L * n + n / 64), receiver.heapBytes(), "chosen strings and choices");
    // block reads, in order and after a jump, are the strings the receiver's choices picked
    long[] m0 = new long[2 * 1000];
    long[] m1 = new long[2 * 1000];
    for (int first : new int[] {0, 1000, n - 1000, 5, 1005}) {
      sender.readSender(first, 1000, m0, m1);
      for (int i = 0; i < 1000; i++) {
        long[] m = receiver.choice(first + i) == 0 ? m0 : m1;
        assertEquals(receiver.chosen()[2 * (first + i)], m[2 * i], "OT " + (first + i));
        assertEquals(receiver.chosen()[2 * (first + i) + 1], m[2 * i + 1], "OT " + (first + i));
      }
    }
    assertEquals(0, sender.heapBytes());
  }

  /** Party 1's link, handing each piece of a chunked message on in odd-sized parts. */
  private static final class OddPieces extends ForwardingPartyLink {
    OddPieces(PartyLink delegate) {
      super(delegate);
    }

    @Override
    public void receiveLongs(int tag, int length, ChunkListener listener) {
      super.receiveLongs(
          tag,
          length,
          (piece, at) -> {
            for (int o = 0; o < piece.length; o += 10_007) {
              listener.piece(
                  Arrays.copyOfRange(piece, o, Math.min(piece.length, o + 10_007)), at + o);
            }
          });
    }
  }

  @Test
  void onlineLabelsOfAWideLayerStreamUnderACapSmallerThanTheirTotal() throws Exception {
    int n = 2048 + 100; // 9 chunks, the last partial: 2.1 MiB of labels
    int shift = 16;
    long cap = 300L << 10;
    long[] x = GcReluTest.testValues(n, 5);
    long[] x0 = new Random(3).longs(n).toArray();
    long[] x1 = new long[n];
    for (int i = 0; i < n; i++) {
      x1[i] = x[i] - x0[i];
    }
    InProcessDealer dealer = new InProcessDealer();
    FixedPoint fp = FixedPoint.defaults();
    InMemoryLink[] offline = InMemoryLink.pair(Duration.ofSeconds(120));
    InMemoryLink[] online = InMemoryLink.pair(Duration.ofSeconds(120), cap);
    CompletableFuture<long[]> p0 =
        CompletableFuture.supplyAsync(
            () -> {
              GcRelu.Offline off =
                  GcRelu.prepare(new Party(0, offline[0], dealer.source(0), fp), n, shift);
              return GcRelu.online(new Party(0, online[0], dealer.source(0), fp), off, x0);
            });
    GcRelu.Offline off1 = GcRelu.prepare(new Party(1, offline[1], dealer.source(1), fp), n, shift);
    long[] y1 =
        GcRelu.online(new Party(1, new OddPieces(online[1]), dealer.source(1), fp), off1, x1);
    long[] y0 = p0.get(180, TimeUnit.SECONDS);
    long[] expect = new long[n];
    long[] got = new long[n];
    for (int i = 0; i < n; i++) {
      expect[i] = Math.max(x[i], 0) >> shift;
      got[i] = y0[i] + y1[i];
    }
    assertArrayEquals(expect, got, "ReLU shares reconstruct");
    long labels = 8L * 2 * 64 * n;
    long piece = 8L * 2 * 64 * SharedGc.CHUNK;
    assertEquals(labels, online[1].stats().bytesReceived(), "party 1 received every label");
    assertTrue(labels > 3 * (cap + piece), "the labels must not fit under the bound");
    assertTrue(
        online[1].peakQueuedBytes() <= cap + piece,
        "party 1 held "
            + online[1].peakQueuedBytes()
            + " bytes of labels unread at once; the cap is "
            + cap
            + " plus one block of "
            + piece);
  }
}
