package org.polyshare.models.secure;

import java.util.function.Supplier;

/**
 * A layer parameter encoded to the ring on first use, once. Party 1 compiles a weightless
 * architecture (its parameter arrays are null) and never asks; party 0 asks at session setup and
 * the int64 forward when it runs. Safe to share between sessions.
 */
final class Encoded {
  private final Supplier<long[]> encode;
  private volatile long[] value;

  Encoded(Supplier<long[]> encode) {
    this.encode = encode;
  }

  long[] get() {
    long[] v = value;
    if (v == null) {
      synchronized (this) {
        v = value;
        if (v == null) {
          v = encode.get();
          value = v;
        }
      }
    }
    return v;
  }
}
