package org.polyshare.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.polyshare.core.link.LinkException;

/**
 * What an authenticated but hostile peer can cost (issue 11, item 5): a frame header declaring the
 * largest payload costs memory only as bytes really arrive; a flood under a tag nobody reads is
 * back-pressured, and ends that link alone (with a message naming tags and sizes) once this end
 * waits for something behind it; a tag outside every protocol family is refused.
 */
class PeerLimitsTest {
  private static final NetTransport net = NetFixtures.transport();
  private static final LinkOptions OPT = NetFixtures.fastOptions();
  private static final byte[] PLAN = {5, 6, 7};

  /** A frame header alone: {@code payload} bytes of {@code kind} announced under {@code tag}. */
  private static ByteBuf header(int tag, byte kind, long payload) {
    return Unpooled.buffer(Frames.HEADER_BYTES)
        .writeIntLE((int) (5 + payload))
        .writeIntLE(tag)
        .writeByte(kind);
  }

  /** Heap bytes this thread has allocated so far (HotSpot's per-thread allocation counter). */
  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  @Test
  void aHeaderClaiming256MiBThenATrickleCostsLittleMemory() {
    for (byte kind : new byte[] {Frames.KIND_BYTES, Frames.KIND_LONGS}) {
      FrameDecoder decoder = new FrameDecoder(Frames.DEFAULT_MAX_PAYLOAD, () -> "the peer");
      EmbeddedChannel ch =
          new EmbeddedChannel(decoder); // decodes on this thread: its allocations are ours
      long before = allocatedByThisThread();
      ch.writeInbound(header(7, kind, Frames.DEFAULT_MAX_PAYLOAD));
      int sent = 0;
      for (int i = 0; i < 512; i++) { // 512 pieces of 40 bytes: 20 KiB trickled
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[40]));
        sent += 40;
      }
      long allocated = allocatedByThisThread() - before;
      // the buffer starts at 128 KiB and holds at most twice what has arrived; the old decoder
      // allocated
      // the whole 256 MiB on the header
      assertEquals(FrameDecoder.INITIAL_BYTES, decoder.allocatedBytes(), "kind " + kind);
      assertTrue(
          allocated < (4 << 20),
          "kind " + kind + ": " + allocated + " bytes allocated for " + sent + " bytes received");
      assertTrue(ch.inboundMessages().isEmpty(), "no frame yet");
      // as real bytes arrive the buffer grows with them, never beyond twice what arrived
      byte[] mib = new byte[1 << 20];
      for (int i = 0; i < 3; i++) {
        ch.writeInbound(Unpooled.wrappedBuffer(mib));
        sent += mib.length;
        assertTrue(
            decoder.allocatedBytes() <= 2L * sent, decoder.allocatedBytes() + " for " + sent);
      }
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aGrowingBufferStillDecodesExactly() {
    FrameDecoder decoder = new FrameDecoder(Frames.DEFAULT_MAX_PAYLOAD, () -> "the peer");
    EmbeddedChannel ch = new EmbeddedChannel(decoder);
    long[] data =
        new java.util.SplittableRandom(11).longs(100_003).toArray(); // ~800 KiB: four growth steps
    ByteBuf whole = Frames.encode(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, 9, data);
    while (whole.isReadable()) { // odd piece sizes: elements straddle pieces
      ch.writeInbound(whole.readRetainedSlice(Math.min(whole.readableBytes(), 4093)));
    }
    whole.release();
    Frame f = ch.readInbound();
    assertEquals(9, f.tag());
    assertArrayEquals(data, (long[]) f.payload());
    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void largeRingPayloadsDecodeExactlyAtEverySegmentBoundary() {
    int seg = FrameDecoder.INITIAL_BYTES / 8;
    for (int n :
        new int[] {seg, seg + 1, 2 * seg - 1, 2 * seg, 2 * seg + 1, 3 * seg, 5 * seg + 7}) {
      for (int piece : new int[] {4093, FrameDecoder.INITIAL_BYTES + 3, 1 << 22}) {
        FrameDecoder decoder = new FrameDecoder(Frames.DEFAULT_MAX_PAYLOAD, () -> "the peer");
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        long[] data = new java.util.SplittableRandom(n + piece).longs(n).toArray();
        ByteBuf whole = Frames.encode(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, 5, data);
        while (whole.isReadable()) {
          ch.writeInbound(whole.readRetainedSlice(Math.min(whole.readableBytes(), piece)));
        }
        whole.release();
        Frame f = ch.readInbound();
        assertArrayEquals(data, (long[]) f.payload(), n + " longs in pieces of " + piece + " B");
        assertFalse(ch.finishAndReleaseAll());
      }
    }
  }

  @Test
  void anEightMiBRingPayloadIsCopiedAtMostHalfAgain() {
    // Doubling from 128 KiB allocates 128 KiB + 256 KiB + ... + 8 MiB, about twice the payload;
    // segments until half has arrived, then the exact array, allocate one and a half times it.
    long[] data = new java.util.SplittableRandom(3).longs(1 << 20).toArray();
    decodeInPieces(pieces(data)); // the first decode also loads and links the classes on its path
    ByteBuf[] pieces = pieces(data);
    long before = allocatedByThisThread();
    long[] decoded = decodeInPieces(pieces);
    long allocated = allocatedByThisThread() - before;
    assertArrayEquals(data, decoded);
    assertTrue(
        allocated < 1.7 * 8 * data.length,
        allocated + " bytes allocated to decode " + 8 * data.length);
  }

  private static ByteBuf[] pieces(long[] data) {
    ByteBuf whole = Frames.encode(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, 5, data);
    // 1 MiB reads, so the channel's own allocation per read stays small beside the payload's
    ByteBuf[] pieces = new ByteBuf[(whole.readableBytes() + (1 << 20) - 1) / (1 << 20)];
    for (int i = 0; i < pieces.length; i++) {
      pieces[i] = whole.readRetainedSlice(Math.min(whole.readableBytes(), 1 << 20));
    }
    whole.release();
    return pieces;
  }

  private static long[] decodeInPieces(ByteBuf[] pieces) {
    EmbeddedChannel ch =
        new EmbeddedChannel(new FrameDecoder(Frames.DEFAULT_MAX_PAYLOAD, () -> "p"));
    for (ByteBuf piece : pieces) {
      ch.writeInbound(piece);
    }
    Frame f = ch.readInbound();
    assertFalse(ch.finishAndReleaseAll());
    return (long[]) f.payload();
  }

  @Test
  void aTrickledHugeFrameOverARealLinkHoldsOnlyWhatArrived() throws Exception {
    NettyLink[] l = NetFixtures.partyPair(net, OPT, "trickle", PLAN);
    try {
      l[1].channel().writeAndFlush(header(7, Frames.KIND_BYTES, Frames.DEFAULT_MAX_PAYLOAD));
      for (int i = 0; i < 20; i++) {
        l[1].channel().writeAndFlush(Unpooled.wrappedBuffer(new byte[100]));
      }
      FrameDecoder d = l[0].channel().pipeline().get(FrameDecoder.class);
      // read on the link's event loop, which owns the decoder
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      int capacity = 0;
      while (System.nanoTime() < end && capacity == 0) {
        capacity = l[0].channel().eventLoop().submit(d::allocatedBytes).get(5, TimeUnit.SECONDS);
      }
      assertEquals(FrameDecoder.INITIAL_BYTES, capacity);
      assertTrue(l[0].isOpen());
    } finally {
      l[0].close();
      l[1].close();
    }
  }

  @Test
  void floodingAnUnreadTagEndsThatLinkOnly() throws Exception {
    LinkOptions capped = OPT.withTimeout(Duration.ofSeconds(20)).withMaxQueuedBytes(8 << 20);
    NettyLink[] victim = NetFixtures.partyPair(net, capped, "flooded", PLAN);
    NettyLink[] bystander = NetFixtures.partyPair(net, capped, "bystander", PLAN);
    try {
      CompletableFuture<long[]> waiting =
          CompletableFuture.supplyAsync(() -> victim[0].receiveLongs(5));
      long[] mib = new long[128 << 10];
      long t0 = System.nanoTime();
      LinkException flood =
          assertThrows(
              LinkException.class,
              () -> {
                for (int i = 0;
                    i < 1000;
                    i++) { // 1000 MiB under tag 7, which party 0 does not read now
                  victim[1].send(7, mib);
                }
                victim[1].receiveLongs(5); // the refusal, if every send got out before it
              });
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
      assertTrue(
          (System.nanoTime() - t0) / 1e9 < 15, "ended by the cap, not by the receive timeout");
      String why = e.getCause().getMessage();
      assertTrue(
          why.contains("sent more than 8388608 bytes that are not read")
              && why.contains("under tag 0x7")
              && why.contains("waits for tag 0x5"),
          why);
      assertTrue(victim[0].stats().bytesReceived() == 0, "nothing was handed to the protocol");
      assertTrue(
          flood.getMessage().contains("not read") || flood.getMessage().contains("closed"),
          flood.getMessage());
      // the other link on the same transport is untouched
      bystander[1].send(5, new long[] {42});
      assertArrayEquals(new long[] {42}, bystander[0].receiveLongs(5));
      assertTrue(bystander[0].isOpen() && bystander[1].isOpen());
    } finally {
      for (NettyLink x : new NettyLink[] {victim[0], victim[1], bystander[0], bystander[1]}) {
        x.close();
      }
    }
  }

  @Test
  void anUnreadTagWithNobodyWaitingIsBackPressuredNotBuffered() throws Exception {
    int cap = 8 << 20;
    NettyLink[] l =
        NetFixtures.partyPair(
            net, OPT.withTimeout(Duration.ofSeconds(20)).withMaxQueuedBytes(cap), "paused", PLAN);
    try {
      long[] mib = new long[128 << 10];
      CompletableFuture<Void> sender =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < 40; i++) {
                  l[1].send(7, mib);
                }
              });
      Thread.sleep(1000);
      assertFalse(sender.isDone(), "40 MiB cannot all be taken while party 0 reads nothing");
      long queued = l[0].queuedBytes();
      assertTrue(queued <= cap, "queued " + queued + " > cap " + cap);
      for (int i = 0; i < 40; i++) { // reading resumes, and everything arrives
        assertEquals(mib.length, l[0].receiveLongs(7).length);
      }
      sender.get(10, TimeUnit.SECONDS);
    } finally {
      l[0].close();
      l[1].close();
    }
  }

  @Test
  void aTagOutsideEveryProtocolFamilyIsRefused() {
    NettyLink[] l = NetFixtures.partyPair(net, OPT, "stray", PLAN);
    try {
      l[1].send(0x1234_5678, new long[] {1});
      LinkException e0 = assertThrows(LinkException.class, () -> l[0].receiveLongs(5));
      assertTrue(
          e0.getMessage().contains("refused tag 0x12345678 from party 1")
              && e0.getMessage().contains("nothing here reads it"),
          e0.getMessage());
      LinkException e1 = assertThrows(LinkException.class, () -> l[1].receiveLongs(5));
      assertTrue(e1.getCause() instanceof PeerAbortedException, String.valueOf(e1.getCause()));
      assertTrue(e1.getMessage().contains("refused tag 0x12345678"), e1.getMessage());
    } finally {
      l[0].close();
      l[1].close();
    }
  }

  @Test
  void theDealerRefusesWhatOnlyADealerSends() throws Exception {
    NettyLink[] l =
        net.loopbackPair(
            NetFixtures.identity(Role.DEALER),
            Hello.of(Role.DEALER, "", null),
            NetFixtures.identity(Role.PARTY0),
            Hello.of(Role.PARTY0, "s", PLAN),
            OPT,
            Duration.ofSeconds(10));
    NettyLink dealer = l[0];
    NettyLink p = l[1];
    p.send(DealerProtocol.TAG_DEAL, new long[] {1}); // a party never sends dealt correlations
    LinkException e =
        assertThrows(LinkException.class, () -> dealer.receiveLongs(DealerProtocol.TAG_PLAN));
    assertTrue(e.getMessage().contains("refused tag 0x2 from party 0"), e.getMessage());
    p.close();
    dealer.close();
  }
}
