package org.polyshare.core.protocol;

import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;

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
   * Secret-shares {@code n} elements owned by {@code owner}. The owner passes its secret, the other
   * party passes {@code null}. One message of 16 bytes, owner to peer.
   */
  public static long[] share(Party p, int owner, long[] secret, int n) {
    checkOwner(owner);
    if (p.id() == owner) {
      if (secret == null || secret.length != n) {
        throw new IllegalArgumentException(
            "party "
                + owner
                + " shares "
                + n
                + " elements but passed "
                + (secret == null ? "no data" : secret.length + " elements"));
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
      throw new IllegalStateException(
          "protocol error: share seed of " + seed.length + " bytes from " + p.link().peerName());
    }
    return new Prg(Seed.of(seed)).nextLongs(n);
  }

  /**
   * The input-independent half of {@link #share}, for the offline phase: the owner draws the seed
   * and sends it now; both parties expand the mask. {@link #shareInput} then needs no message.
   */
  public static InputMask prepareInput(Party p, int owner, int n) {
    checkOwner(owner);
    if (p.id() == owner) {
      Seed seed = Seed.random();
      p.link().send(Tags.SHARE, seed.bytes());
      return new InputMask(owner, new Prg(seed).nextLongs(n));
    }
    byte[] seed = p.link().receiveBytes(Tags.SHARE);
    if (seed.length != Seed.BYTES) {
      throw new IllegalStateException(
          "protocol error: share seed of " + seed.length + " bytes from " + p.link().peerName());
    }
    return new InputMask(owner, new Prg(Seed.of(seed)).nextLongs(n));
  }

  /**
   * Online half: the owner's share is {@code x − r}, the peer's {@code r}. No communication. The
   * owner passes its secret, the peer {@code null}. Each mask is single-use.
   */
  public static long[] shareInput(Party p, InputMask mask, long[] secret) {
    if (mask.used) {
      throw new IllegalStateException("an input mask is single-use; prepare another one");
    }
    mask.used = true;
    if (p.id() != mask.owner) {
      return mask.r;
    }
    if (secret == null || secret.length != mask.r.length) {
      throw new IllegalArgumentException(
          "party "
              + mask.owner
              + " shares "
              + mask.r.length
              + " elements but passed "
              + (secret == null ? "no data" : secret.length + " elements"));
    }
    long[] out = new long[secret.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = secret[i] - mask.r[i];
    }
    return out;
  }

  /** A mask for one future input, from {@link #prepareInput}. */
  public static final class InputMask {
    private final int owner;
    private final long[] r;
    private boolean used;

    private InputMask(int owner, long[] r) {
      this.owner = owner;
      this.r = r;
    }

    public int size() {
      return r.length;
    }
  }

  /** Opens shares to both parties: one message each way, one round. */
  public static long[] open(Party p, long[] share) {
    return open(p, Tags.OPEN, share);
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
          "protocol error under tag "
              + tag
              + ": expected "
              + expected
              + " ring elements from "
              + p.link().peerName()
              + ", got "
              + other.length
              + " (the parties' op sequences diverge)");
    }
    return other;
  }

  private static void checkOwner(int owner) {
    if (owner != 0 && owner != 1) {
      throw new IllegalArgumentException("owner must be party 0 or 1, got " + owner);
    }
  }
}
