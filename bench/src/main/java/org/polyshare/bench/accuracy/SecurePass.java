package org.polyshare.bench.accuracy;

/**
 * What the secure pass over the test images gave: party 1's logits per image and the offline and
 * online time and online bytes summed over the inferences (each inference's offline time the slower
 * party's, online time party 1's, as {@code bench compare} counts them).
 */
public final class SecurePass {
  private final double[][] logits;
  private long offlineNanos;
  private long onlineNanos;
  private long onlineBytes;

  public SecurePass(int images) {
    logits = new double[images][];
  }

  public void logits(int image, double[] values) {
    logits[image] = values;
  }

  /** Adds one inference's (or batch's) phase times. */
  public void addTimes(long offline, long online) {
    offlineNanos += offline;
    onlineNanos += online;
  }

  /** Adds one inference's (or batch's) online bytes, both directions of the party link. */
  public void addOnlineBytes(long bytes) {
    onlineBytes += bytes;
  }

  /** The logits of every image; fails naming the first image the pass did not reach. */
  public double[][] logits() {
    return logits(logits.length);
  }

  /** The logits of the first {@code k} images; fails naming the first one not reached. */
  public double[][] logits(int k) {
    for (int i = 0; i < k; i++) {
      if (logits[i] == null) {
        throw new IllegalStateException("the secure pass gave no logits for image " + i);
      }
    }
    return k == logits.length ? logits : java.util.Arrays.copyOf(logits, k);
  }

  public long offlineNanos() {
    return offlineNanos;
  }

  public long onlineNanos() {
    return onlineNanos;
  }

  public long onlineBytes() {
    return onlineBytes;
  }
}
