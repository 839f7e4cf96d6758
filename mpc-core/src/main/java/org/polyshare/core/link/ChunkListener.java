package org.polyshare.core.link;

/**
 * Receives the pieces of a chunked message ({@link PartyLink#receiveLongs(int, int,
 * ChunkListener)}) on the receiving thread, in order, as each arrives: the receiver computes on
 * piece k while piece k+1 is still on the wire.
 */
@FunctionalInterface
public interface ChunkListener {
  /**
   * {@code piece} holds elements {@code [at, at + piece.length)} of the message; the array is the
   * listener's to keep or overwrite (the link made it for this call).
   */
  void piece(long[] piece, int at);
}
