package org.polyshare.core.protocol;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.polyshare.core.link.TwoParties;

/**
 * Test fixture: runs a protocol on uniform additive shares of plaintext values and reveals the
 * result, so a test states only the protocol step and what the revealed values must be.
 */
public final class SharedRuns {
  private SharedRuns() {}

  /**
   * Shares {@code x = x0 + x1} with {@code x1} uniform from {@code seed} and runs {@code step} on
   * each party's share in one run of {@code session}.
   */
  public static TwoParties.Result<long[]> onShares(
      InProcessSession session, long[] x, long seed, BiFunction<Party, long[], long[]> step) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] x0 = new long[x.length];
    long[] x1 = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      x1[i] = rnd.nextLong();
      x0[i] = x[i] - x1[i];
    }
    return session.run(p -> step.apply(p, p.id() == 0 ? x0 : x1));
  }

  /** {@code party0 + party1}, element by element: the revealed values. */
  public static long[] reveal(TwoParties.Result<long[]> r) {
    long[] out = new long[r.party0().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.party0()[i] + r.party1()[i];
    }
    return out;
  }

  /** {@code step} on consecutive chunks of {@code share} (one protocol layer each), reassembled. */
  public static long[] inChunks(long[] share, int chunk, UnaryOperator<long[]> step) {
    long[] out = new long[share.length];
    for (int from = 0; from < share.length; from += chunk) {
      int to = Math.min(share.length, from + chunk);
      System.arraycopy(step.apply(Arrays.copyOfRange(share, from, to)), 0, out, from, to - from);
    }
    return out;
  }
}
