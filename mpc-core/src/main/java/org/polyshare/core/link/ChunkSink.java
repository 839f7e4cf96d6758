package org.polyshare.core.link;

/**
 * The sending end of one chunked message ({@link PartyLink#openChunked}): the caller hands over the
 * message's elements in order, in pieces of its choosing, as it produces them. Each {@link #put}
 * leaves as one piece; the pieces must add up to the declared length exactly.
 */
@FunctionalInterface
public interface ChunkSink {
  /**
   * Sends {@code src[from, from + count)} as the next piece. The array may be reused after return.
   */
  void put(long[] src, int from, int count);
}
