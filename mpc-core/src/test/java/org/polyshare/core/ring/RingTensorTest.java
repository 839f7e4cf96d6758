package org.polyshare.core.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RingTensorTest {
  @Test
  void arithmeticWrapsModTwoToThe64() {
    RingTensor a = RingTensor.of(new long[] {Long.MAX_VALUE, -1, 5, 0}, 2, 2);
    RingTensor b = RingTensor.of(new long[] {1, 1, -7, Long.MIN_VALUE}, 2, 2);
    assertArrayEquals(new long[] {Long.MIN_VALUE, 0, -2, Long.MIN_VALUE}, a.add(b).data());
    assertArrayEquals(new long[] {Long.MAX_VALUE - 1, -2, 12, Long.MIN_VALUE}, a.sub(b).data());
    assertArrayEquals(new long[] {-2, -2, 10, 0}, a.copy().mulScalarInPlace(2).data());
  }

  @Test
  void shapeErrorsNameTheShapes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RingTensor.of(new long[5], 2, 3));
    assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    IllegalArgumentException m =
        assertThrows(
            IllegalArgumentException.class,
            () -> RingTensor.zeros(2, 3).add(RingTensor.zeros(3, 2)));
    assertTrue(m.getMessage().contains("shape mismatch"), m.getMessage());
  }
}
