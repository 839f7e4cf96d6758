package org.polyshare.core.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FixedPointTest {
  @Test
  void roundTripWithinHalfUlp() {
    FixedPoint fp = FixedPoint.defaults();
    SplittableRandom rnd = new SplittableRandom(1);
    for (int i = 0; i < 100_000; i++) {
      double v = (rnd.nextDouble() * 2 - 1) * Math.scalb(1.0, rnd.nextInt(40));
      assertTrue(Math.abs(fp.decode(fp.encode(v)) - v) <= 0.5 / fp.one() + Math.ulp(v));
    }
    assertEquals(65536L, fp.encode(1.0));
    assertEquals(-98304L, fp.encode(-1.5));
  }

  @Test
  void rejectsNanInfinityAndOutOfRange() {
    FixedPoint fp = new FixedPoint(16);
    IllegalArgumentException nan =
        assertThrows(IllegalArgumentException.class, () -> fp.encode(Double.NaN));
    assertTrue(nan.getMessage().contains("NaN"));
    IllegalArgumentException inf =
        assertThrows(IllegalArgumentException.class, () -> fp.encode(Double.POSITIVE_INFINITY));
    assertTrue(inf.getMessage().contains("2^47"), inf.getMessage());
    IllegalArgumentException big =
        assertThrows(
            IllegalArgumentException.class, () -> fp.encode(new double[] {1, Math.scalb(1.0, 47)}));
    assertTrue(big.getMessage().startsWith("element 1"), big.getMessage());
    assertEquals(Math.scalb(1.0, 47) - 1, fp.decode(fp.encode(Math.scalb(1.0, 47) - 1)));
  }

  @Test
  void fracBitsAreBounded() {
    assertThrows(IllegalArgumentException.class, () -> new FixedPoint(7));
    assertThrows(IllegalArgumentException.class, () -> new FixedPoint(31));
    assertEquals(1L << 30, new FixedPoint(30).one());
  }
}
