package org.polyshare.core.link;

/**
 * A test link that cuts the chunked messages it sends into pieces of {@code chunk} elements and
 * counts the pieces of chunked messages it receives. A subclass may watch each piece received
 * ({@link #received}).
 */
public class PieceSizedLink extends ForwardingPartyLink {
  private final int chunk;
  private int piecesReceived;

  public PieceSizedLink(PartyLink inner, int chunk) {
    super(inner);
    this.chunk = chunk;
  }

  @Override
  public int chunkLongs() {
    return chunk;
  }

  @Override
  public void receiveLongs(int tag, int length, ChunkListener listener) {
    delegate.receiveLongs(
        tag,
        length,
        (piece, at) -> {
          piecesReceived++;
          received(tag, at, length);
          listener.piece(piece, at);
        });
  }

  /**
   * Called for each piece received, before the listener sees it: at {@code at} of {@code length}.
   */
  protected void received(int tag, int at, int length) {}

  public int piecesReceived() {
    return piecesReceived;
  }
}
