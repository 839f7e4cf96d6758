package org.polyshare.bench.accuracy;

/**
 * What the secure pass over the test images gave: party 1's logits per image and the offline and
 * online time summed over the inferences (each inference's offline time the slower party's, online
 * time party 1's, as {@code bench compare} counts them).
 */
public final class SecurePass {
  private final double[][] logits;
  private long offlineNanos;
  private long onlineNanos;

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

  /** The logits of every image; fails naming the first image the pass did not reach. */
  public double[][] logits() {
    for (int i = 0; i < logits.length; i++) {
      if (logits[i] == null) {
        throw new IllegalStateException("the secure pass gave no logits for image " + i);
      }
    }
    return logits;
  }

  public long offlineNanos() {
    return offlineNanos;
  }

  public long onlineNanos() {
    return onlineNanos;
  }
}
