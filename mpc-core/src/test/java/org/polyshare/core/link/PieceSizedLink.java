package org.polyshare.core.link;

/**
 * A test link that cuts the chunked messages it sends into pieces of {@code chunk} elements and
 * counts the pieces of chunked messages it receives.
 */
public final class PieceSizedLink extends ForwardingPartyLink {
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
          listener.piece(piece, at);
        });
  }

  public int piecesReceived() {
    return piecesReceived;
  }
}
