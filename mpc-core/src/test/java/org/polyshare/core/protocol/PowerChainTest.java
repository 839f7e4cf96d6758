package org.polyshare.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.protocol.PowerChain.Step;
import org.polyshare.core.ring.FixedPoint;

class PowerChainTest {
  private static final FixedPoint FP = new FixedPoint(16);

  @Test
  void scheduleIsSquareAndMultiplyOverTheBitsOfTheDegree() {
    assertEquals(List.of(Step.TAKE), PowerChain.of(1).steps());
    assertEquals(List.of(Step.SQUARE, Step.TAKE), PowerChain.of(2).steps());
    assertEquals(
        List.of(Step.TAKE, Step.SQUARE, Step.SQUARE, Step.MULTIPLY), PowerChain.of(5).steps());
    for (int d = 1; d <= 64; d++) {
      List<Step> s = PowerChain.of(d).steps();
      int log2 = 31 - Integer.numberOfLeadingZeros(d);
      assertEquals(log2, Collections.frequency(s, Step.SQUARE), "squares of x^" + d);
      assertEquals(
          Integer.bitCount(d) - 1, Collections.frequency(s, Step.MULTIPLY), "products of x^" + d);
      assertEquals(1, Collections.frequency(s, Step.TAKE));
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PowerChain.of(0));
    assertTrue(e.getMessage().contains("degree"), e.getMessage());
  }

  /** The request list is what the secure power actually draws, for both truncation modes. */
  @Test
  void requestsAreWhatTheSecurePowerDraws() {
    for (TruncationMode mode : TruncationMode.values()) {
      for (int d = 1; d <= 9; d++) {
        int deg = d;
        List<CorrelationRequest> drawn =
            new InProcessSession(FP, mode)
                .recordPlan(p -> Activations.power(p, new long[7], 0, deg))
                .requests();
        assertEquals(PowerChain.of(d).requests(7, FP.fracBits(), mode), drawn, mode + " x^" + d);
      }
    }
    assertTrue(
        PowerChain.of(4).requests(7, 16, TruncationMode.LOCAL).stream()
            .noneMatch(r -> r instanceof CorrelationRequest.Truncation));
  }

  /**
   * The int64 reference: exact products shifted by f, so it equals a direct product in doubles up
   * to the floors.
   */
  @Test
  void ringPowerIsTheTruncatedPowerInTheClear() {
    long[] base = FP.encode(new double[] {1.5, -0.75, 2.0, 0.0, -1.25});
    for (int d = 1; d <= 8; d++) {
      long[] y = PowerChain.of(d).ring(base, 16);
      for (int i = 0; i < base.length; i++) {
        double exact = Math.pow(FP.decode(base[i]), d);
        // each of ≤ 2·log2(d) floors loses < 1 ulp, amplified by at most d·|b|^(d−1) ≤ 8·2^7
        assertEquals(exact, FP.decode(y[i]), 8 * 128 * 6 / 65536.0, "x^" + d + " at " + i);
      }
    }
    assertArrayEquals(
        FP.encode(new double[] {2.25, 0.5625, 4.0, 0.0, 1.5625}),
        PowerChain.of(2).ring(base, 16),
        "squares of binary fractions are exact");
  }

  @Test
  void truncationRequestsFollowTheMode() {
    assertEquals(
        List.of(new CorrelationRequest.Truncation(5, 16)),
        Truncation.requests(TruncationMode.DEALER, 5, 16));
    assertEquals(List.of(), Truncation.requests(TruncationMode.LOCAL, 5, 16));
    assertEquals(
        new InProcessSession(FP, TruncationMode.DEALER)
            .recordPlan(p -> Truncation.truncate(p, new long[5], 30))
            .requests(),
        Truncation.requests(TruncationMode.DEALER, 5, 30));
    assertThrows(
        IllegalArgumentException.class, () -> Truncation.requests(TruncationMode.DEALER, 5, 63));
  }
}
