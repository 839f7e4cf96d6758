package org.polyshare.core.correlation;

import org.polyshare.core.prg.Prg;
import org.polyshare.core.prg.Seed;

/**
 * {@code count} random oblivious transfers of 128-bit strings (string i is longs {@code [2i]} and
 * {@code [2i+1]}). Sender = party 0: {@code m0} and {@code m1} ({@code 2·count} longs each), {@code
 * choices} and {@code chosen} null. Receiver = party 1: {@code choices} is a bitset of {@code
 * count} bits (bit i = {@code (choices[i >>> 6] >>> (i & 63)) & 1}), {@code chosen} the {@code
 * 2·count} longs of {@code m_{c_i}}; {@code m0}, {@code m1} null.
 *
 * <p>The sender's strings are pure seed expansion (the stream's first {@code 2·count} longs are
 * {@code m0}, the next {@code 2·count} {@code m1}), so a sender made by {@link #seededSender} keeps
 * only the seed and expands the strings block by block as {@link #readSender} asks for them: 32
 * bytes per OT, 128 MiB for a 65 536-ReLU layer, never sit on the heap at once. {@link #m0()} and
 * {@link #m1()} still expand the whole arrays on demand (tests, the dealer's small batches).
 */
public final class RandomOts implements Correlation {
  private final int count;
  private final long[] m0;
  private final long[] m1;
  private final long[] choices;
  private final long[] chosen;
  private final Seed senderSeed;

  /** Cursors of {@link #readSender} over a seeded sender's two streams (null until first read). */
  private Prg m0Stream;

  private Prg m1Stream;
  private int nextOt = -1;

  public RandomOts(int count, long[] m0, long[] m1, long[] choices, long[] chosen) {
    this(count, m0, m1, choices, chosen, null);
  }

  private RandomOts(
      int count, long[] m0, long[] m1, long[] choices, long[] chosen, Seed senderSeed) {
    this.count = count;
    this.m0 = m0;
    this.m1 = m1;
    this.choices = choices;
    this.chosen = chosen;
    this.senderSeed = senderSeed;
  }

  /** The sender's side of {@code count} OTs expanded from {@code seed}, lazily. */
  public static RandomOts seededSender(int count, Seed seed) {
    return new RandomOts(count, null, null, null, null, seed);
  }

  public int count() {
    return count;
  }

  public boolean isSender() {
    return m0 != null || senderSeed != null;
  }

  /** The sender's first strings, all of them (expanded now if seeded: 16·count bytes). */
  public long[] m0() {
    return m0 != null || senderSeed == null ? m0 : expand(0);
  }

  /** The sender's second strings, all of them (expanded now if seeded). */
  public long[] m1() {
    return m1 != null || senderSeed == null ? m1 : expand(2L * count);
  }

  public long[] choices() {
    return choices;
  }

  public long[] chosen() {
    return chosen;
  }

  /** The receiver's choice bit {@code i}. */
  public int choice(int i) {
    return (int) ((choices[i >>> 6] >>> (i & 63)) & 1L);
  }

  /**
   * Bytes of OT material this object holds on the heap: the receiver's choices and chosen strings,
   * the sender's arrays if eager; a seeded sender holds none (its streams' small buffers aside).
   */
  public long heapBytes() {
    long longs = 0;
    for (long[] a : new long[][] {m0, m1, choices, chosen}) {
      longs += a == null ? 0 : a.length;
    }
    return 8 * longs;
  }

  private long[] expand(long firstLong) {
    long[] out = new long[2 * count];
    new Prg(senderSeed, firstLong).fill(out);
    return out;
  }

  /**
   * Copies the sender's strings of OTs {@code [first, first + n)} to {@code m0Out[0, 2n)} and
   * {@code m1Out[0, 2n)}. Reading the OTs in order costs one pass of the PRG over them; a jump
   * re-seeks the two streams.
   */
  public void readSender(int first, int n, long[] m0Out, long[] m1Out) {
    if (!isSender()) {
      throw new IllegalStateException("only the OT sender holds both strings");
    }
    if (first < 0 || n < 0 || (long) first + n > count) {
      throw new IndexOutOfBoundsException(
          "OTs [" + first + ", " + ((long) first + n) + ") outside the " + count + " prepared");
    }
    if (m0 != null) {
      System.arraycopy(m0, 2 * first, m0Out, 0, 2 * n);
      System.arraycopy(m1, 2 * first, m1Out, 0, 2 * n);
      return;
    }
    if (first != nextOt) {
      m0Stream = new Prg(senderSeed, 2L * first);
      m1Stream = new Prg(senderSeed, 2L * count + 2L * first);
    }
    m0Stream.fill(m0Out, 0, 2 * n);
    m1Stream.fill(m1Out, 0, 2 * n);
    nextOt = first + n;
  }

  @Override
  public String toString() {
    return "RandomOts["
        + count
        + (isSender() ? " as sender" : " as receiver")
        + (senderSeed != null ? ", seeded]" : "]");
  }
}
