package org.polyshare.core.link;

import java.util.function.Supplier;

/**
 * The bookkeeping every link shares for chunked messages. A chunked message of n ring elements is a
 * run of ordinary {@code long[]} messages (pieces) under one tag whose lengths add up to n (at
 * least one piece, so n = 0 is one empty piece); per-tag order keeps them together. The link counts
 * the whole run as ONE message of {@code 8n} bytes in its {@link LinkStats}, on both ends, so byte,
 * message and round counts are those of the unchunked send. The receiving end counts it when its
 * FIRST piece arrives ({@link #countedOnFirst}): a receiver that sends while later pieces are still
 * on the wire (the next layer's masked input, streamed as this opening's pieces are used) starts a
 * new round, as it would after a whole receive.
 *
 * <p>The piece size is the link's {@link PartyLink#chunkLongs()}: the system property {@value
 * #PROPERTY} (bytes; 0 turns chunking off: one piece per message, the receiver computes after the
 * last byte as before), default {@value #DEFAULT_BYTES}.
 */
public final class Chunks {
  private Chunks() {}

  /** System property: piece size in bytes of chunked messages, 0 = off. */
  public static final String PROPERTY = "polyshare.chunkBytes";

  /** Default piece size: 128 KiB, about 1 ms of wire at 1 Gbit/s. */
  public static final int DEFAULT_BYTES = 128 << 10;

  /** Ring elements per piece from {@value #PROPERTY}; {@link Integer#MAX_VALUE} when off. */
  public static int configuredLongs() {
    return longsOf(Integer.getInteger(PROPERTY, DEFAULT_BYTES));
  }

  /** Ring elements per piece of {@code bytes}, {@link Integer#MAX_VALUE} for 0 (off). */
  public static int longsOf(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException(
          "chunk size must be 0 (off) or positive, got " + bytes + " bytes");
    }
    return bytes == 0 ? Integer.MAX_VALUE : Math.max(1, bytes / 8);
  }

  /**
   * A sink for {@code length} elements that checks the pieces' total and hands each piece to {@code
   * piece}.
   */
  public static ChunkSink sink(int tag, int length, ChunkSink piece) {
    if (length < 0) {
      throw new IllegalArgumentException("chunked message of " + length + " elements");
    }
    return new ChunkSink() {
      private long sent;

      @Override
      public void put(long[] src, int from, int count) {
        if (from < 0 || count < 0 || from + (long) count > src.length) {
          throw new IndexOutOfBoundsException(
              "piece [" + from + ", " + from + " + " + count + ") of a " + src.length + " array");
        }
        if (sent + count > length || (count == 0 && length > 0)) {
          throw new IllegalStateException(
              "chunked message under tag "
                  + tag
                  + " declared "
                  + length
                  + " elements; a piece of "
                  + count
                  + " after "
                  + sent
                  + " does not fit");
        }
        sent += count;
        piece.put(src, from, count);
      }
    };
  }

  /**
   * {@link #sink} for a link end that counts the message in {@code stats} now: one message of
   * {@code 8·length} bytes, whatever its pieces.
   */
  public static ChunkSink counted(LinkStats stats, int tag, int length, ChunkSink piece) {
    ChunkSink sink = sink(tag, length, piece);
    stats.onSend(8L * length);
    return sink;
  }

  /** Sends {@code data} through {@code sink} in pieces of {@code chunk} elements (one if empty). */
  public static void putAll(ChunkSink sink, long[] data, int chunk) {
    if (data.length == 0) {
      sink.put(data, 0, 0);
      return;
    }
    for (int from = 0; from < data.length; from += chunk) {
      sink.put(data, from, Math.min(chunk, data.length - from));
    }
  }

  /**
   * {@code listener} behind a count of one received message of {@code 8·length} bytes in {@code
   * stats}, made when the first piece arrives and before the listener sees it (see the class
   * comment).
   */
  public static ChunkListener countedOnFirst(LinkStats stats, int length, ChunkListener listener) {
    boolean[] counted = {false};
    return (piece, at) -> {
      if (!counted[0]) {
        counted[0] = true;
        stats.onReceive(8L * length);
      }
      listener.piece(piece, at);
    };
  }

  /**
   * Takes pieces from {@code next} (each a blocking receive with the link's timeout) until {@code
   * length} elements have arrived, handing each to {@code listener}; counts one message in {@code
   * stats} at the first piece ({@link #countedOnFirst}).
   *
   * @throws LinkException a piece runs past {@code length}: the two ends' protocols diverge
   */
  public static void receive(
      LinkStats stats,
      int tag,
      int length,
      Supplier<long[]> next,
      ChunkListener listener,
      String peerName) {
    ChunkListener counted = countedOnFirst(stats, length, listener);
    int at = 0;
    do {
      long[] piece = next.get();
      if (piece.length > length - at || (piece.length == 0 && length > 0)) {
        throw new LinkException(
            "protocol error under tag "
                + tag
                + ": expected "
                + length
                + " ring elements from "
                + peerName
                + ", got a piece of "
                + piece.length
                + " after "
                + at
                + " (the parties' op sequences diverge)");
      }
      counted.piece(piece, at);
      at += piece.length;
    } while (at < length);
  }
}
