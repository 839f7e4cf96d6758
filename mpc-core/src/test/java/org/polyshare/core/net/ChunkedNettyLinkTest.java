package org.polyshare.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.RingConv;
import org.polyshare.core.link.ChunkSink;
import org.polyshare.core.link.LinkClosedException;
import org.polyshare.core.protocol.FixedWeightLinear;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.core.ring.FixedPoint;

/**
 * Chunked messages over TLS: every piece a frame of its own, reassembled exactly and counted as one
 * message; the owner-held conv over pieces gives the plaintext ring conv; a peer that dies
 * mid-message ends the receive at once with the "connection lost" error.
 */
class ChunkedNettyLinkTest {
  private static final NetTransport net = NetFixtures.transport();
  private static final byte[] PLAN = {5, 6};

  @Test
  void piecesOverTlsReassembleAndCountAsOneMessage() {
    LinkOptions opt = NetFixtures.fastOptions().withChunkBytes(4096);
    NettyLink[] l = NetFixtures.partyPair(net, opt, "c1", PLAN);
    try {
      assertEquals(512, l[1].chunkLongs());
      long[] data = new SplittableRandom(3).longs(100_003).toArray();
      l[1].sendChunked(7, data);
      l[1].send(8, new long[] {1, 2});
      long[] got = new long[data.length];
      int[] pieces = new int[1];
      l[0].receiveLongs(
          7,
          data.length,
          (piece, at) -> {
            pieces[0]++;
            System.arraycopy(piece, 0, got, at, piece.length);
          });
      assertArrayEquals(data, got);
      assertEquals((data.length + 511) / 512, pieces[0]);
      assertArrayEquals(new long[] {1, 2}, l[0].receiveLongs(8));
      assertEquals(8L * data.length + 16, l[1].stats().bytesSent());
      assertEquals(2, l[1].stats().messagesSent());
      assertEquals(2, l[0].stats().messagesReceived());
      assertEquals(1, l[1].stats().rounds());
    } finally {
      l[0].close();
      l[1].close();
    }
  }

  @Test
  void ownedConvOverChunkedTlsEqualsThePlaintextRingConv() throws Exception {
    Conv2dShape s = new Conv2dShape(1, 24, 8, 8, 5, 3, 3, 1, 1);
    SplittableRandom rnd = new SplittableRandom(4);
    long[] x = rnd.longs(s.inputNumel()).map(v -> v >> 40).toArray();
    long[] w = rnd.longs(s.weightNumel()).map(v -> v >> 46).toArray();
    long[] x1 = rnd.longs(x.length).toArray();
    long[] x0 = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      x0[i] = x[i] - x1[i];
    }
    NettyLink[] l =
        NetFixtures.partyPair(net, NetFixtures.fastOptions().withChunkBytes(1000), "c2", PLAN);
    InProcessDealer dealer = new InProcessDealer();
    FixedPoint fp = new FixedPoint(16);
    // one thread per party: both block on each other, so a pool that may run them one after the
    // other (the default async pool has one worker on 2 cores, and newer JDKs use it) deadlocks
    ExecutorService parties = Executors.newFixedThreadPool(2);
    try {
      CompletableFuture<long[]>[] side = new CompletableFuture[2];
      for (int id = 0; id < 2; id++) {
        int me = id;
        side[id] =
            CompletableFuture.supplyAsync(
                () -> {
                  Party p = new Party(me, l[me], dealer.source(me), fp, TruncationMode.DEALER);
                  FixedWeightLinear layer =
                      FixedWeightLinear.ownedConv(p, 1, me == 0 ? w : null, s);
                  return layer.applyRaw(p, layer.prepare(p), me == 0 ? x0 : x1);
                },
                parties);
      }
      long[] z0 = side[0].get(30, TimeUnit.SECONDS);
      long[] z1 = side[1].get(30, TimeUnit.SECONDS);
      long[] want = RingConv.conv2d(x, w, s);
      for (int i = 0; i < want.length; i++) {
        z0[i] += z1[i];
      }
      assertArrayEquals(want, z0);
      assertEquals(8L * x.length, l[0].stats().bytesReceived() - 8L * w.length, "input + F");
    } finally {
      parties.shutdownNow();
      l[0].close();
      l[1].close();
    }
  }

  @Test
  void aPeerDyingMidMessageEndsTheReceiveAtOnce() throws Exception {
    LinkOptions opt = NetFixtures.fastOptions().withTimeout(Duration.ofSeconds(20));
    NettyLink[] l = NetFixtures.partyPair(net, opt, "c3", PLAN);
    List<Integer> offsets = new ArrayList<>();
    CompletableFuture<Void> waiting =
        CompletableFuture.runAsync(
            () -> l[0].receiveLongs(3, 3000, (piece, at) -> offsets.add(at)));
    ChunkSink sink = l[1].openChunked(3, 3000);
    sink.put(new long[1000], 0, 1000);
    Thread.sleep(200);
    long t0 = System.nanoTime();
    l[1].channel().close(); // abrupt: no error frame, two pieces never sent
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
    assertTrue((System.nanoTime() - t0) / 1e6 < 5000, "not the 20 s timeout");
    assertTrue(e.getCause() instanceof LinkClosedException, String.valueOf(e.getCause()));
    assertTrue(
        e.getCause().getMessage().contains("party 1") && e.getCause().getMessage().contains("lost"),
        e.getCause().getMessage());
    assertEquals(List.of(0), offsets, "the first piece arrived before the peer died");
    l[0].close();
  }
}
