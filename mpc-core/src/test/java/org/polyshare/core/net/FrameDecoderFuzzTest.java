package org.polyshare.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The frame decoder against valid frames cut at random points and against random garbage: valid
 * frames decode exactly, garbage ends in one {@link FrameException} or in frames that honour the
 * limits, never another exception; every input buffer is released.
 */
class FrameDecoderFuzzTest {
  private static final int MAX = 4096;
  private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

  @BeforeAll
  static void paranoid() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  /** Collects what the decoder emits. */
  private static final class Sink extends ChannelInboundHandlerAdapter {
    final List<Frame> frames = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      frames.add((Frame) msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      errors.add(cause);
    }
  }

  private static Object randomPayload(SplittableRandom rnd) {
    int n = rnd.nextInt(10) == 0 ? 0 : rnd.nextInt(MAX / 8 + 1);
    if (rnd.nextBoolean()) {
      long[] l = new long[n];
      for (int i = 0; i < n; i++) {
        l[i] = rnd.nextLong();
      }
      return l;
    }
    byte[] b = new byte[rnd.nextInt(MAX + 1)];
    rnd.nextBytes(b);
    return b;
  }

  private static ByteBuf encode(int tag, Object payload) {
    return payload instanceof long[] l
        ? Frames.encode(ALLOC, tag, l)
        : Frames.encode(ALLOC, tag, (byte[]) payload);
  }

  /**
   * Feeds {@code stream} to the channel in random slices; returns the slices for the leak check
   * (each must have been released by the decoder). {@code tracked} slices come from the pooled
   * allocator under the PARANOID leak detector; untracked ones (cheap, for 10^5 rounds) are checked
   * through their reference count only.
   */
  private static List<ByteBuf> feed(
      EmbeddedChannel ch, ByteBuf stream, SplittableRandom rnd, int maxSlice, boolean tracked) {
    List<ByteBuf> slices = new ArrayList<>();
    try {
      while (stream.isReadable()) {
        int cut = maxSlice > 0 ? maxSlice : (rnd.nextInt(4) == 0 ? 13 : 3000);
        int n = 1 + rnd.nextInt(Math.min(stream.readableBytes(), cut));
        ByteBuf part;
        if (tracked) {
          part = rnd.nextBoolean() ? ALLOC.directBuffer(n) : ALLOC.heapBuffer(n);
          part.writeBytes(stream, n);
        } else {
          byte[] b = new byte[n];
          stream.readBytes(b);
          part = Unpooled.wrappedBuffer(b);
        }
        slices.add(part);
        ch.writeInbound(part);
      }
    } finally {
      stream.release();
    }
    return slices;
  }

  @Test
  void validFramesSurviveAnySplit() {
    SplittableRandom rnd = new SplittableRandom(1);
    int frames = 0;
    for (int round = 0; round < 400; round++) {
      Sink sink = new Sink();
      EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX, () -> "fuzz peer"), sink);
      int count = 1 + rnd.nextInt(20);
      List<Object> sent = new ArrayList<>();
      List<Integer> tags = new ArrayList<>();
      ByteBuf stream = ALLOC.directBuffer();
      for (int i = 0; i < count; i++) {
        Object p = randomPayload(rnd);
        int tag = rnd.nextInt(8) == 0 ? Frames.TAG_HELLO : rnd.nextInt(Integer.MAX_VALUE);
        ByteBuf f = encode(tag, p);
        stream.writeBytes(f);
        f.release();
        sent.add(p);
        tags.add(tag);
      }
      for (ByteBuf b : feed(ch, stream, rnd, 0, true)) {
        assertEquals(0, b.refCnt(), "decoder must release every input buffer");
      }
      assertEquals(List.of(), sink.errors);
      assertEquals(count, sink.frames.size());
      for (int i = 0; i < count; i++) {
        Frame f = sink.frames.get(i);
        assertEquals(tags.get(i), f.tag());
        if (sent.get(i) instanceof long[] l) {
          assertArrayEquals(l, (long[]) f.payload());
        } else {
          assertArrayEquals((byte[]) sent.get(i), (byte[]) f.payload());
        }
      }
      frames += count;
      ch.finishAndReleaseAll();
    }
    assertTrue(frames > 3_000);
  }

  @Test
  void garbageNeverCrashesHangsOrLeaks() {
    SplittableRandom rnd = new SplittableRandom(2);
    int rejected = 0;
    int total = 100_000;
    Sink sink = new Sink();
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX, () -> "fuzz peer"), sink);
    for (int round = 0; round < total; round++) {
      // a fresh decoder per stream; the channel is reused to keep 10^5 rounds fast
      FrameDecoder decoder = new FrameDecoder(MAX, () -> "fuzz peer");
      ch.pipeline().replace(FrameDecoder.class, "decoder", decoder);
      sink.frames.clear();
      sink.errors.clear();
      ByteBuf stream = ALLOC.heapBuffer();
      switch (rnd.nextInt(4)) {
        case 0 -> { // pure noise
          byte[] b = new byte[rnd.nextInt(64)];
          rnd.nextBytes(b);
          stream.writeBytes(b);
        }
        case 1 -> { // a plausible header with random fields, then noise
          stream.writeIntLE(rnd.nextBoolean() ? rnd.nextInt(MAX + 64) : rnd.nextInt());
          stream.writeIntLE(rnd.nextBoolean() ? rnd.nextInt(100) - 50 : rnd.nextInt());
          stream.writeByte(rnd.nextInt(4));
          byte[] b = new byte[rnd.nextInt(96)];
          rnd.nextBytes(b);
          stream.writeBytes(b);
        }
        default -> { // a valid frame with a few bytes flipped or cut
          ByteBuf f =
              encode(
                  rnd.nextInt(1000),
                  rnd.nextBoolean() ? new long[rnd.nextInt(8)] : new byte[rnd.nextInt(40)]);
          int flips = 1 + rnd.nextInt(3);
          for (int i = 0; i < flips; i++) {
            int at = rnd.nextInt(f.writerIndex());
            f.setByte(at, f.getByte(at) ^ (1 << rnd.nextInt(8)));
          }
          stream.writeBytes(f, 0, rnd.nextInt(f.writerIndex() + 1));
          f.release();
        }
      }
      for (ByteBuf b : feed(ch, stream, rnd, 1 + rnd.nextInt(64), false)) {
        assertEquals(0, b.refCnt(), "decoder must release every input buffer");
      }
      assertTrue(sink.errors.size() <= 1, "at most one error per stream");
      if (!sink.errors.isEmpty()) {
        rejected++;
        FrameException e = assertInstanceOf(FrameException.class, sink.errors.get(0));
        assertTrue(e.getMessage().contains("fuzz peer"), e.getMessage());
        assertTrue(decoder.failed());
      }
      for (Frame f : sink.frames) {
        assertTrue(f.tag() >= 0 || Frames.isControlTag(f.tag()));
        int size = f.payload() instanceof long[] l ? 8 * l.length : ((byte[]) f.payload()).length;
        assertTrue(size <= MAX);
      }
    }
    ch.finishAndReleaseAll();
    assertTrue(rejected > total / 4, "most garbage must be rejected, got " + rejected);
  }
}
