package org.polyshare.core.prg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class PrgTest {
  @Test
  void sameSeedSameStreamRegardlessOfChunking() {
    Seed seed = Seed.random();
    long[] whole = new Prg(seed).nextLongs(20_000);
    Prg pieces = new Prg(seed);
    long[] parts = new long[20_000];
    int off = 0;
    for (int len : new int[] {1, 7, 4095, 4096, 1, 11_800}) {
      pieces.fill(parts, off, len);
      off += len;
    }
    assertArrayEquals(whole, parts);
    assertFalse(Arrays.equals(whole, new Prg(Seed.random()).nextLongs(20_000)));
  }

  @Test
  void firstBlockIsAesOfCounterZero() throws Exception {
    byte[] key = new byte[16];
    for (int i = 0; i < 16; i++) {
      key[i] = (byte) i;
    }
    Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    byte[] expect = ecb.doFinal(new byte[16]);
    byte[] got = new byte[16];
    new Prg(Seed.of(key)).nextBytes(got);
    assertArrayEquals(expect, got);
  }

  @Test
  void bitsAreBalanced() {
    long[] x = new Prg(Seed.random()).nextLongs(1 << 16);
    long ones = 0;
    for (long v : x) {
      ones += Long.bitCount(v);
    }
    double n = 64.0 * x.length;
    // Binomial(n, 1/2): 6.5 standard deviations (two-sided) is a false alarm once in ~10^10 runs.
    assertTrue(Math.abs(ones - n / 2) < 6.5 * Math.sqrt(n / 4), "ones = " + ones);
    assertEquals("Seed[redacted]", Seed.random().toString());
  }
}
