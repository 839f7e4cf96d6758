package org.polyshare.core.link;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A test link that keeps a copy of every ring-element message it receives, in arrival order; a
 * chunked message is kept whole, as the receiver holds it once all its pieces are in.
 */
public final class RecordingLink extends ForwardingPartyLink {
  private record Message(int tag, long[] values) {}

  private final List<Message> received = new ArrayList<>();

  public RecordingLink(PartyLink inner) {
    super(inner);
  }

  @Override
  public long[] receiveLongs(int tag) {
    long[] l = delegate.receiveLongs(tag);
    received.add(new Message(tag, l.clone()));
    return l;
  }

  @Override
  public void receiveLongs(int tag, int length, ChunkListener listener) {
    long[] whole = new long[length];
    delegate.receiveLongs(
        tag,
        length,
        (piece, at) -> {
          System.arraycopy(piece, 0, whole, at, piece.length);
          listener.piece(piece, at);
        });
    received.add(new Message(tag, whole));
  }

  /** How many messages have been received so far: a mark for {@link #since}. */
  public int count() {
    return received.size();
  }

  /** Every message received since the first {@code mark}, concatenated. */
  public long[] since(int mark) {
    return received.subList(mark, received.size()).stream()
        .flatMapToLong(m -> Arrays.stream(m.values()))
        .toArray();
  }

  /** The messages of {@code tag}, in arrival order. */
  public List<long[]> messages(int tag) {
    return received.stream().filter(m -> m.tag() == tag).map(Message::values).toList();
  }
}
