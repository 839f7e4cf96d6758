package org.polyshare.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.function.Supplier;

/**
 * Turns the byte stream into {@link Frame}s. A header declaring 256 MiB costs memory only as the
 * peer really sends it (at most twice the bytes received, plus 128 KiB). Every incoming buffer is
 * released here, so a broken stream cannot leak.
 *
 * <p>A payload is copied straight from each arriving buffer. The first 128 KiB go into an array of
 * that size, a default piece of a chunked message ({@link
 * org.polyshare.core.link.Chunks#DEFAULT_BYTES}), which therefore decodes with no further copy.
 *
 * <p>A larger ring-element payload (a dealer message of several MiB) is collected in segments of
 * 128 KiB until half of it has arrived. Then the exact array is allocated, the segments are copied
 * into it once, and the rest is read into it directly. Growing one array by doubling, as byte
 * payloads still do, copies about the whole payload again and leaves every intermediate step at or
 * above half a G1 region as a humongous object. In the party JVMs' allocation profile of a
 * ResNet-18 run, those growth steps were the largest allocation site.
 *
 * <p>The header is validated before anything is allocated: a length above the cap, an unknown kind,
 * a ring-element payload that is not a whole number of longs or a reserved negative tag is reported
 * once as a {@link FrameException} through {@code exceptionCaught}; everything after it is dropped
 * (the link is closed by the handler behind).
 */
public final class FrameDecoder extends ChannelInboundHandlerAdapter {
  /** First allocation for a payload, in bytes. */
  static final int INITIAL_BYTES = org.polyshare.core.link.Chunks.DEFAULT_BYTES;

  private final int maxPayload;
  private final Supplier<String> peerName;

  private final byte[] header = new byte[Frames.HEADER_BYTES];
  private int headerFill;
  private boolean inPayload;
  private int tag;
  private long[] longs; // the array being filled: the exact payload, or a segment of it
  private int base; // payload bytes before longs[0]: 0 once longs is the exact payload
  private final ArrayList<long[]> segments = new ArrayList<>();
  private byte[] bytes;
  private int filled; // bytes of the payload received so far
  private int total; // payload bytes of the current frame
  private long carry; // partial ring element straddling two buffers
  private int carryFill;
  private boolean failed;

  public FrameDecoder(int maxPayload, Supplier<String> peerName) {
    this.maxPayload = maxPayload;
    this.peerName = peerName;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      while (!failed && buf.isReadable()) {
        if (!inPayload) {
          readHeader(ctx, buf);
        } else if (longs != null) {
          readLongs(ctx, buf);
        } else {
          if (filled == bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, grown(bytes.length));
          }
          int n = Math.min(bytes.length - filled, buf.readableBytes());
          buf.readBytes(bytes, filled, n);
          filled += n;
          if (filled == total) {
            emit(ctx, bytes);
          }
        }
      }
    } finally {
      buf.release();
    }
  }

  private void readHeader(ChannelHandlerContext ctx, ByteBuf buf) {
    int n = Math.min(Frames.HEADER_BYTES - headerFill, buf.readableBytes());
    buf.readBytes(header, headerFill, n);
    headerFill += n;
    if (headerFill < Frames.HEADER_BYTES) {
      return;
    }
    headerFill = 0;
    long length = intLE(0) & 0xFFFFFFFFL;
    int t = intLE(4);
    byte kind = header[8];
    if (length < 5) {
      fail(ctx, "frame length " + length + " is shorter than its own header");
      return;
    }
    long payload = length - 5;
    if (payload > maxPayload) {
      fail(
          ctx,
          "frame of " + payload + " payload bytes exceeds the limit of " + maxPayload + " bytes");
      return;
    }
    if (t < 0 && !Frames.isControlTag(t)) {
      fail(ctx, "reserved negative tag " + t);
      return;
    }
    if (kind == Frames.KIND_LONGS) {
      if (payload % 8 != 0) {
        fail(ctx, "ring-element payload of " + payload + " bytes is not a multiple of 8");
        return;
      }
      longs = new long[(int) Math.min(payload, INITIAL_BYTES) / 8];
    } else if (kind == Frames.KIND_BYTES) {
      bytes = new byte[(int) Math.min(payload, INITIAL_BYTES)];
    } else {
      fail(ctx, "unknown payload kind " + (kind & 0xFF));
      return;
    }
    tag = t;
    total = (int) payload;
    filled = 0;
    base = 0;
    carryFill = 0;
    inPayload = true;
    if (total == 0) {
      emit(ctx, longs != null ? longs : bytes);
    }
  }

  private void readLongs(ChannelHandlerContext ctx, ByteBuf buf) {
    // finish an element split across buffers, byte by byte (little-endian)
    while (carryFill > 0 && carryFill < 8 && buf.isReadable()) {
      carry |= (buf.readByte() & 0xFFL) << (8 * carryFill);
      carryFill++;
    }
    if (carryFill == 8) {
      ensureLongs();
      longs[(filled - base) >>> 3] = carry;
      filled += 8;
      carryFill = 0;
    }
    if (filled < total && buf.readableBytes() >= 8) {
      ensureLongs();
    }
    int whole = Math.min((base + 8 * longs.length - filled) >>> 3, buf.readableBytes() >>> 3);
    if (whole > 0) {
      buf.nioBuffer(buf.readerIndex(), whole * 8)
          .order(ByteOrder.LITTLE_ENDIAN)
          .asLongBuffer()
          .get(longs, (filled - base) >>> 3, whole);
      buf.skipBytes(whole * 8);
      filled += whole * 8;
    }
    if (filled == total) {
      emit(ctx, longs);
      return;
    }
    if (carryFill == 0 && buf.isReadable() && buf.readableBytes() < 8) {
      carry = 0;
      while (buf.isReadable()) {
        carry |= (buf.readByte() & 0xFFL) << (8 * carryFill);
        carryFill++;
      }
    }
  }

  /**
   * Room for at least one more element of the current frame: a full segment is kept and the next
   * one started, or, once half the payload is in, the exact array made from the segments.
   */
  private void ensureLongs() {
    if (filled < base + 8 * longs.length) {
      return;
    }
    segments.add(longs);
    if (2L * filled >= total || total - filled <= INITIAL_BYTES) { // never end on a segment
      long[] exact = new long[total / 8];
      int at = 0;
      for (long[] segment : segments) {
        System.arraycopy(segment, 0, exact, at, segment.length);
        at += segment.length;
      }
      segments.clear();
      longs = exact;
      base = 0;
    } else {
      longs = new long[INITIAL_BYTES / 8];
      base = filled;
    }
  }

  /** The next capacity in bytes: double, but never past the frame (so the last step is exact). */
  private int grown(int capacity) {
    return (int) Math.min(total, 2L * Math.max(capacity, 8));
  }

  /** Bytes allocated for the frame being received (for tests of the growth rule). */
  int allocatedBytes() {
    if (longs != null) {
      return base + 8 * longs.length; // the segments before longs hold exactly base bytes
    }
    return bytes != null ? bytes.length : 0;
  }

  private void emit(ChannelHandlerContext ctx, Object payload) {
    int t = tag;
    inPayload = false;
    segments.clear();
    longs = null;
    bytes = null;
    ctx.fireChannelRead(new Frame(t, payload));
  }

  private void fail(ChannelHandlerContext ctx, String problem) {
    failed = true;
    inPayload = false;
    segments.clear();
    longs = null;
    bytes = null;
    ctx.fireExceptionCaught(
        new FrameException(
            "malformed frame from " + peerName.get() + ": " + problem + "; closing the link"));
  }

  /** True once a malformed frame was seen; all later input is discarded. */
  public boolean failed() {
    return failed;
  }

  private int intLE(int at) {
    return (header[at] & 0xFF)
        | (header[at + 1] & 0xFF) << 8
        | (header[at + 2] & 0xFF) << 16
        | (header[at + 3] & 0xFF) << 24;
  }
}
