package org.polyshare.core.prg;

import com.google.common.base.Preconditions;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A 128-bit PRG seed. Fresh seeds come from the platform CSPRNG; {@link #toString} never shows the
 * bytes.
 */
public final class Seed {
  public static final int BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;

  private Seed(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Seed random() {
    byte[] b = new byte[BYTES];
    RANDOM.nextBytes(b);
    return new Seed(b);
  }

  public static Seed of(byte[] bytes) {
    Preconditions.checkArgument(
        bytes.length == BYTES, "a seed has %s bytes, got %s", BYTES, bytes.length);
    return new Seed(bytes.clone());
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Seed s && Arrays.equals(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Seed[redacted]";
  }
}
