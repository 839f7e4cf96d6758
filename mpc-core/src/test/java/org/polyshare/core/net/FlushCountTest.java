package org.polyshare.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A large message is flushed once at its end, plus once per high-to-low-water drain: a bounded
 * count, not one flush per 256 KiB piece. Counted by a handler between the link and TLS (it sees
 * the link's flushes, not those TLS issues below it); deterministic, no timing.
 */
class FlushCountTest {
  private static final NetTransport net = NetFixtures.transport();
  private static final byte[] PLAN = {4, 3, 2, 1};

  /** Counts the flushes that pass it on their way to TLS. */
  private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    final AtomicInteger flushes = new AtomicInteger();

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes.incrementAndGet();
      ctx.flush();
    }
  }

  @Test
  void aLargeMessageTakesABoundedNumberOfFlushes() throws Exception {
    // water marks 1 MiB / 4 MiB; a receive timeout a loaded machine cannot reach
    LinkOptions options = NetFixtures.fastOptions().withTimeout(Duration.ofSeconds(60));
    NettyLink[] l = NetFixtures.partyPair(net, options, "flush", PLAN);
    try {
      FlushCounter counter = new FlushCounter();
      l[1].channel().pipeline().addAfter("tls", "flush-counter", counter);
      l[1].send(7, new long[] {1, 2, 3});
      assertArrayEquals(new long[] {1, 2, 3}, l[0].receiveLongs(7));
      assertEquals(1, counter.flushes.get(), "a small message: one write and flush");

      long[] big = new SplittableRandom(3).longs(2 << 20).toArray(); // 16 MiB, 64 pieces
      counter.flushes.set(0);
      CompletableFuture<long[]> got = CompletableFuture.supplyAsync(() -> l[0].receiveLongs(8));
      l[1].send(8, big);
      assertArrayEquals(big, got.get(90, TimeUnit.SECONDS));
      long bytes = 8L * big.length;
      long bound = 1 + bytes / (options.highWaterMark() - options.lowWaterMark());
      int flushes = counter.flushes.get();
      assertTrue(
          flushes >= 1 && flushes <= bound,
          flushes + " flushes for a 16 MiB message; at most " + bound + " expected");
    } finally {
      l[0].close();
      l[1].close();
    }
  }

  @Test
  void aMessageFarAboveTheWaterMarksArrivesWhole() throws Exception {
    // marks far below one piece: every piece waits for the drain, and each wait is preceded by a
    // flush (else the queue would never drain and the send would time out)
    LinkOptions options =
        NetFixtures.fastOptions()
            .withTimeout(Duration.ofSeconds(60))
            .withWaterMarks(16 << 10, 32 << 10);
    NettyLink[] l = NetFixtures.partyPair(net, options, "flush-small", PLAN);
    try {
      long[] big = new SplittableRandom(5).longs(1_000_003).toArray();
      CompletableFuture<long[]> got = CompletableFuture.supplyAsync(() -> l[0].receiveLongs(9));
      l[1].send(9, big);
      l[1].send(9, new long[] {42});
      assertArrayEquals(big, got.get(90, TimeUnit.SECONDS));
      assertArrayEquals(new long[] {42}, l[0].receiveLongs(9));
    } finally {
      l[0].close();
      l[1].close();
    }
  }
}
