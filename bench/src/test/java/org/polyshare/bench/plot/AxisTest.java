package org.polyshare.bench.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AxisTest {
  private static List<String> labels(Axis a) {
    List<String> out = new ArrayList<>();
    for (double t : a.ticks()) {
      out.add(a.label(t));
    }
    return out;
  }

  @Test
  void logTicksAreWholeDecadesLabelledWithoutRoundingNoise() {
    Axis a = Axis.covering(new double[] {3e-9, 2e5}, true, 0, 100);
    assertEquals(1e-9, a.lo(), 1e-24);
    assertEquals(1e6, a.hi(), 1e-6);
    // 15 decades: a tick every second one; 1e-9 · 10^12 is not exactly 1000 in doubles
    assertEquals(List.of("1e-9", "1e-7", "1e-5", "1e-3", "1e-1", "10", "1000", "1e5"), labels(a));
    assertEquals(50, a.px(Math.sqrt(1e-9 * 1e6)), 1e-9);
  }

  @Test
  void linearTicksStepByOneTwoFiveAndAtLeastTheMinimum() {
    assertEquals(
        List.of("0", "0.2", "0.4", "0.6", "0.8", "1"), labels(new Axis(0, 1, false, 0, 1)));
    assertEquals(List.of("1", "2", "3", "4"), labels(new Axis(1, 4, false, 0, 1, 1)));
    assertThrows(IllegalArgumentException.class, () -> new Axis(0, 1, true, 0, 1));
  }
}
