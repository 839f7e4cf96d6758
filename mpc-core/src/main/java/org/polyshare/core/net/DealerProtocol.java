package org.polyshare.core.net;

import java.util.Arrays;
import org.polyshare.core.link.Chunks;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.link.PartyLink;

/**
 * Messages on a party↔dealer link, after the {@link Hello} exchange (the party's hello carries the
 * session id and the SHA-256 of its first plan; the dealer's asserts neither).
 *
 * <pre>
 *   party → dealer  TAG_SECRET bytes  first, once: the session secret party 0 drew and handed to
 *                                     party 1 over their link; the dealer pairs only its holders
 *   party → dealer  TAG_PLAN  long[]  a plan batch, {@code CorrelationPlan.encode()};
 *                                     an EMPTY array ends the session cleanly
 *   dealer → party  TAG_DEAL  long[]  one {@code DealerMessage.encode()} per request of the
 *                                     batch, in plan order: [seedLo, seedHi, correction...];
 *                                     a long one as a header [n] and n words in pieces
 *                                     ({@link #sendDeal})
 *   either way      TAG_ERROR bytes   the reason the session ends (plan mismatch, peer gone, ...)
 * </pre>
 *
 * A session is a sequence of batches; both parties send batch k, the dealer compares them (mismatch
 * → error to both, naming both hashes and sizes) and deals batch k to both. Session state such as
 * fixed weight masks lives across batches.
 */
public final class DealerProtocol {
  private DealerProtocol() {}

  public static final int TAG_PLAN = 1;
  public static final int TAG_DEAL = 2;
  public static final int TAG_SECRET = 3;

  /** Bounds of a session secret's length in bytes (at least 128 bits). */
  public static final int MIN_SECRET_BYTES = 16;

  public static final int MAX_SECRET_BYTES = 64;

  /** The end-of-session marker sent under {@link #TAG_PLAN}. */
  public static final long[] BYE = new long[0];

  /** Largest piece of a dealer message: 4 Mi words, 32 MiB (see {@link #sendDeal}). */
  public static final int DEAL_PIECE_LONGS = 1 << 22;

  /**
   * Sends one dealer message {@code m}: as one frame if it holds at most {@code pieceLongs} words,
   * else as the one-word header {@code [n]} and then a chunked message of the n words in pieces of
   * {@code pieceLongs}. Material grows with the batch (an FSS ReLU's keys are ≈ 2.5 KB a ReLU a
   * party, 626 MB for one ResNet-8 layer at batch 20), so a whole message would pass any frame
   * limit; pieces keep every frame under it. A dealer message has at least two words (the seed), so
   * a one-word message is always a header. Short messages go unchanged: their byte and message
   * counts are those of one frame.
   */
  public static void sendDeal(PartyLink link, long[] m, int pieceLongs) {
    if (pieceLongs < 2) {
      throw new IllegalArgumentException("dealer pieces need >= 2 words, got " + pieceLongs);
    }
    if (m.length <= pieceLongs) {
      link.send(TAG_DEAL, m);
      return;
    }
    link.send(TAG_DEAL, new long[] {m.length});
    Chunks.putAll(link.openChunked(TAG_DEAL, m.length), m, pieceLongs);
  }

  /**
   * Receives one dealer message sent by {@link #sendDeal}. The buffer of a pieced message grows as
   * its pieces arrive (doubling, up to the announced length), so a header alone allocates nothing
   * large.
   *
   * @throws LinkException the header announces fewer than 2 words (not a dealer message)
   */
  public static long[] receiveDeal(PartyLink link) {
    long[] head = link.receiveLongs(TAG_DEAL);
    if (head.length != 1) {
      return head;
    }
    long n = head[0];
    if (n < 2 || n > Integer.MAX_VALUE - 8) {
      throw new LinkException(
          "protocol error: "
              + link.peerName()
              + " announced a dealer message of "
              + n
              + " words (need 2 to 2^31 - 9)");
    }
    int length = (int) n;
    long[][] buf = {new long[Math.min(length, DEAL_PIECE_LONGS)]};
    link.receiveLongs(
        TAG_DEAL,
        length,
        (piece, at) -> {
          int need = at + piece.length;
          if (need > buf[0].length) {
            buf[0] =
                Arrays.copyOf(buf[0], (int) Math.min(length, Math.max(need, 2L * buf[0].length)));
          }
          System.arraycopy(piece, 0, buf[0], at, piece.length);
        });
    return buf[0];
  }
}
