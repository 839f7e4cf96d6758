package org.polyshare.core.correlation;

/**
 * {@code count} random oblivious transfers of 128-bit strings (string i is longs {@code [2i]} and
 * {@code [2i+1]}). Sender = party 0: {@code m0} and {@code m1} ({@code 2·count} longs each), {@code
 * choices} and {@code chosen} null. Receiver = party 1: {@code choices} is a bitset of {@code
 * count} bits (bit i = {@code (choices[i >>> 6] >>> (i & 63)) & 1}), {@code chosen} the {@code
 * 2·count} longs of {@code m_{c_i}}; {@code m0}, {@code m1} null.
 */
public record RandomOts(int count, long[] m0, long[] m1, long[] choices, long[] chosen)
    implements Correlation {

  public boolean isSender() {
    return m0 != null;
  }

  /** The receiver's choice bit {@code i}. */
  public int choice(int i) {
    return (int) ((choices[i >>> 6] >>> (i & 63)) & 1L);
  }
}
