package org.polyshare.core.link;

import java.time.Duration;

/**
 * A {@link PartyLink} that forwards every call to another link; decorators (network shaping,
 * recording in tests) override only what they change.
 */
public abstract class ForwardingPartyLink implements PartyLink {
  protected final PartyLink delegate;

  protected ForwardingPartyLink(PartyLink delegate) {
    this.delegate = delegate;
  }

  @Override
  public void send(int tag, long[] data) {
    delegate.send(tag, data);
  }

  @Override
  public void send(int tag, byte[] data) {
    delegate.send(tag, data);
  }

  @Override
  public long[] receiveLongs(int tag) {
    return delegate.receiveLongs(tag);
  }

  @Override
  public byte[] receiveBytes(int tag) {
    return delegate.receiveBytes(tag);
  }

  @Override
  public ChunkSink openChunked(int tag, int length) {
    return delegate.openChunked(tag, length);
  }

  @Override
  public void receiveLongs(int tag, int length, ChunkListener listener) {
    delegate.receiveLongs(tag, length, listener);
  }

  @Override
  public int chunkLongs() {
    return delegate.chunkLongs();
  }

  @Override
  public Duration timeout() {
    return delegate.timeout();
  }

  @Override
  public LinkStats stats() {
    return delegate.stats();
  }

  @Override
  public String peerName() {
    return delegate.peerName();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
