package org.polyshare.core.protocol;

import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;
import org.polyshare.core.ring.RingTensor;

/**
 * Creating and opening additive shares.
 *
 * <p>{@link #share}: the owner draws a fresh seed, expands it to a uniform mask {@code r}, keeps
 * {@code x − r} and sends only the 16-byte seed; the peer's share is {@code r}. The peer learns a
 * seed independent of {@code x}. Party 0 shares weights, party 1 its input.
 */
public final class Sharing {
  private Sharing() {}

  /**
   * Secret-shares {@code n} elements owned by {@code owner}. The owner passes its secret, the
   * other party passes {@code null}. One message of 16 bytes, owner to peer.
   */
  public static long[] share(Party p, int owner, long[] secret, int n) {
    checkOwner(owner);
    if (p.id() == owner) {
      if (secret == null || secret.length != n) {
        throw new IllegalArgumentException(
            "party " + owner + " shares " + n + " elements but passed " + (secret == null ? "no data" : secret.length + " elements"));
      }
      Seed seed = Seed.random();
      long[] r = new Prg(seed).nextLongs(n);
      for (int i = 0; i < n; i++) {
        r[i] = secret[i] - r[i];
      }
      p.link().send(Tags.SHARE, seed.bytes());
      return r;
    }
    byte[] seed = p.link().receiveBytes(Tags.SHARE);
    if (seed.length != Seed.BYTES) {
      throw new IllegalStateException("protocol error: share seed of " + seed.length + " bytes from " + p.link().peerName());
    }
    return new Prg(Seed.of(seed)).nextLongs(n);
  }

  /** Tensor form of {@link #share}; the non-owner passes {@code null} and the shape. */
  public static RingTensor share(Party p, int owner, RingTensor secret, int... shape) {
    int n = Math.toIntExact(org.polyshare.core.ring.Shapes.numel(shape));
    return RingTensor.of(share(p, owner, secret == null ? null : secret.data(), n), shape);
  }

  /** Opens shares to both parties: one message each way, one round. */
  public static long[] open(Party p, long[] share) {
    return open(p, Tags.OPEN, share);
  }

  public static RingTensor open(Party p, RingTensor share) {
    return RingTensor.of(open(p, share.data()), share.shape());
  }

  /** Opens {@code share} only to {@code receiver}; the other party gets {@code null}. */
  public static long[] revealTo(Party p, int receiver, long[] share) {
    checkOwner(receiver);
    if (p.id() != receiver) {
      p.link().send(Tags.REVEAL, share);
      return null;
    }
    long[] other = receive(p, Tags.REVEAL, share.length);
    long[] out = new long[share.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = share[i] + other[i];
    }
    return out;
  }

  static long[] open(Party p, int tag, long[] share) {
    long[] other = exchange(p, tag, share);
    long[] out = new long[share.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = share[i] + other[i];
    }
    return out;
  }

  /** Sends {@code mine}, returns the peer's message under the same tag, checking its length. */
  static long[] exchange(Party p, int tag, long[] mine) {
    p.link().send(tag, mine);
    return receive(p, tag, mine.length);
  }

  static long[] receive(Party p, int tag, int expected) {
    long[] other = p.link().receiveLongs(tag);
    if (other.length != expected) {
      throw new IllegalStateException(
          "protocol error under tag " + tag + ": expected " + expected + " ring elements from "
              + p.link().peerName() + ", got " + other.length + " (the parties' op sequences diverge)");
    }
    return other;
  }

  private static void checkOwner(int owner) {
    if (owner != 0 && owner != 1) {
      throw new IllegalArgumentException("owner must be party 0 or 1, got " + owner);
    }
  }
}
