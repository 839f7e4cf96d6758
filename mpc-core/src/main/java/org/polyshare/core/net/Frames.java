package org.polyshare.core.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteOrder;

/**
 * The wire format of a PolyShare link. All integers little-endian (the ring elements are then a
 * plain memory copy on x86):
 *
 * <pre>
 *   u32 length   bytes that follow this field = 5 + payload bytes
 *   i32 tag      &gt;= 0: protocol messages; {@link #TAG_HELLO}, {@link #TAG_ERROR}: link control
 *   u8  kind     {@link #KIND_LONGS} (payload = 8·n bytes) or {@link #KIND_BYTES}
 *   ...payload
 * </pre>
 */
public final class Frames {
  private Frames() {}

  /** Bytes of the header: length, tag, kind. */
  public static final int HEADER_BYTES = 9;

  public static final byte KIND_LONGS = 0;
  public static final byte KIND_BYTES = 1;

  /** Handshake message, see {@link Hello}. */
  public static final int TAG_HELLO = -1;

  /** The sender ends the link; payload is a UTF-8 reason. */
  public static final int TAG_ERROR = -2;

  /** Default cap on one payload: 256 MiB (32 Mi ring elements). */
  public static final int DEFAULT_MAX_PAYLOAD = 256 << 20;

  static boolean isControlTag(int tag) {
    return tag == TAG_HELLO || tag == TAG_ERROR;
  }

  /** A direct buffer holding the whole frame of ring elements. */
  public static ByteBuf encode(ByteBufAllocator alloc, int tag, long[] data) {
    return encode(alloc, tag, data, 0, data.length);
  }

  /** A direct buffer holding the frame of ring elements {@code data[from, from + count)}. */
  public static ByteBuf encode(ByteBufAllocator alloc, int tag, long[] data, int from, int count) {
    int payload = Math.multiplyExact(count, 8);
    ByteBuf buf = alloc.directBuffer(HEADER_BYTES + payload);
    try {
      buf.writeIntLE(5 + payload).writeIntLE(tag).writeByte(KIND_LONGS);
      int at = buf.writerIndex();
      buf.nioBuffer(at, payload)
          .order(ByteOrder.LITTLE_ENDIAN)
          .asLongBuffer()
          .put(data, from, count);
      buf.writerIndex(at + payload);
      return buf;
    } catch (RuntimeException e) {
      buf.release();
      throw e;
    }
  }

  /** The frame header alone, for a payload written separately in pieces. */
  static ByteBuf header(ByteBufAllocator alloc, int tag, byte kind, int payloadBytes) {
    return alloc
        .directBuffer(HEADER_BYTES)
        .writeIntLE(5 + payloadBytes)
        .writeIntLE(tag)
        .writeByte(kind);
  }

  /**
   * Ring elements {@code [from, from + count)} as a direct buffer (a slice of a frame's payload).
   */
  static ByteBuf longs(ByteBufAllocator alloc, long[] data, int from, int count) {
    int bytes = count * 8;
    ByteBuf buf = alloc.directBuffer(bytes);
    try {
      buf.nioBuffer(0, bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(data, from, count);
      buf.writerIndex(bytes);
      return buf;
    } catch (RuntimeException e) {
      buf.release();
      throw e;
    }
  }

  /** A direct buffer holding the whole frame of bytes. */
  public static ByteBuf encode(ByteBufAllocator alloc, int tag, byte[] data) {
    ByteBuf buf = alloc.directBuffer(HEADER_BYTES + data.length);
    buf.writeIntLE(5 + data.length).writeIntLE(tag).writeByte(KIND_BYTES).writeBytes(data);
    return buf;
  }
}
