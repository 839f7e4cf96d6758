package org.polyshare.models.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.polyshare.models.graph.BatchNorm;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.secure.SecureModel;
import org.polyshare.models.secure.SecureOptions;
import org.polyshare.models.zoo.Zoo;

class ArchitectureTest {

  @Test
  void everyZooArchitectureRoundTripsAndPlansLikeTheOwnersModel() {
    for (String name : Zoo.names()) {
      Model owner = Zoo.architecture(name);
      Architecture a = Architecture.of(owner);
      Architecture back = Architecture.decode(a.encode());
      assertArrayEquals(a.encode(), back.encode(), name);
      assertEquals(a.sha256Hex(), back.sha256Hex(), name);
      assertTrue(Architecture.holdsNoWeights(back.model()), name);
      assertEquals(
          SecureModel.compile(owner, 1).plan(2).sha256Hex(),
          SecureModel.compile(back.model(), 1).plan(2).sha256Hex(),
          name + ": party 1's plan from the architecture");
    }
  }

  @Test
  void theWeightlessModelHoldsNoParameterArrays() {
    // A BatchNorm after a plain conv (folded by the evaluator) and one after a PolyKerv (kept).
    Model m =
        Model.builder("bn", 1, 6, 6)
            .conv("c", 2, 3, 1, 1)
            .batchNorm("bn1")
            .polyKerv("p", 2, 3, 1, 1, 0.5, 2)
            .batchNorm("bn2")
            .flatten("f")
            .linear("fc", 3)
            .build();
    Model w = Zoo.randomize(m, 7);
    Model shapes = Architecture.of(w).model();
    for (Layer l : shapes.layers()) {
      if (l instanceof Conv2d c) {
        assertNull(c.weight(), l.name());
        assertNull(c.bias(), l.name());
      } else if (l instanceof PolyKerv p) {
        assertNull(p.conv().weight(), l.name());
        assertNull(p.conv().bias(), l.name());
        assertNull(p.cp(), l.name());
      } else if (l instanceof Linear lin) {
        assertNull(lin.weight(), l.name());
        assertNull(lin.bias(), l.name());
      } else if (l instanceof BatchNorm bn) {
        assertNull(bn.gamma(), l.name());
        assertNull(bn.beta(), l.name());
        assertNull(bn.mean(), l.name());
        assertNull(bn.var(), l.name());
      }
    }
    assertFalse(Architecture.holdsNoWeights(w));
    assertEquals(
        SecureModel.compile(w, 1).plan(1).sha256Hex(),
        SecureModel.compile(shapes, 1).plan(1).sha256Hex());
  }

  @Test
  void theEncodingCarriesNoParameterValue() {
    Model m =
        Model.builder("secret", 1, 4, 4)
            .polyKerv("p", 2, 3, 1, 1, 0.7071, 2)
            .flatten("f")
            .linear("fc", 2)
            .build();
    double[] w = new double[2 * 9];
    java.util.Arrays.fill(w, 0.123456789);
    PolyKerv p = (PolyKerv) m.layer("p");
    m = m.replace(p.withConv(p.conv().withParams(w, new double[] {0.987654321, 0.987654321})));
    String text = new String(Architecture.of(m).encode(), StandardCharsets.UTF_8);
    for (String v : List.of("123456", "987654", "7071", "0x1.f9add3")) {
      assertFalse(text.contains(v), v + " in\n" + text);
    }
  }

  @Test
  void nonCanonicalOrMalformedEncodingsAreRefused() {
    String good =
        new String(Architecture.of(Zoo.architecture("tiny-pkn")).encode(), StandardCharsets.UTF_8);
    for (String bad :
        List.of(
            good.replace("frac-bits 16", "frac-bits  16"),
            good.replace("\n", "\r\n"),
            good.replace("Flatten", "Flattened"),
            good.substring(0, good.length() - 1),
            "hello\n",
            good.replace("frac-bits 16", "frac-bits 016"))) {
      assertThrows(
          IllegalArgumentException.class,
          () -> Architecture.decode(bad.getBytes(StandardCharsets.UTF_8)),
          bad);
    }
  }

  @Test
  void oddLayerNamesAreEscapedAndRestored() {
    Model m = Model.builder("a model é", 1, 4, 4).conv("conv 1%", 1, 3, 1, 1).flatten("/f").build();
    Architecture a = Architecture.decode(Architecture.of(m).encode());
    assertEquals("a model é", a.model().name());
    assertEquals("conv 1%", a.model().layers().get(0).name());
  }

  @Test
  void theCalibratedRangeIsTheCalibrationSetsRangeWithItsMargin() {
    for (String name : List.of("tiny-pkn", "lenet5-pkn")) {
      Model m = Zoo.load(name);
      double[][] set = Zoo.calibrationInputs(m);
      assertEquals(Zoo.calibrationSamples(m), set.length, name);
      var values = Arrays.stream(set).flatMapToDouble(Arrays::stream);
      var stats = values.summaryStatistics();
      double lo = stats.getMin();
      double hi = stats.getMax();
      double pad = InputRange.MARGIN * (hi - lo);
      InputRange r = Architecture.of(m).inputRange();
      assertEquals(lo - pad, r.lo(), 1e-12, name);
      assertEquals(hi + pad, r.hi(), 1e-12, name);
      for (double[] x : set) {
        r.check(x, 0); // every calibration input is accepted
      }
      // the headroom guard's samples lie inside the range it publishes
      double guard =
          SecureModel.checkHeadroom(m, SecureOptions.defaults()).layers().get(0).maxAbs();
      assertTrue(guard <= Math.min(-r.lo(), r.hi()), name + ": guard " + guard + " vs " + r);
    }
  }

  @Test
  void theRangeOverInputsIsWidenedBySpanTimesMargin() {
    InputRange r = InputRange.over(new double[][] {{0, 1}, {2, -2}}, 0.25);
    assertEquals(-3, r.lo());
    assertEquals(3, r.hi());
    assertThrows(IllegalArgumentException.class, () -> InputRange.over(new double[][] {{}}, 0.1));
    assertThrows(IllegalArgumentException.class, () -> InputRange.over(new double[][] {{1}}, -1));
  }

  @Test
  void justBeyondTheCalibratedRangeIsRefusedAndJustInsideAccepted() {
    Model m = Zoo.load("tiny-pkn");
    InputRange r = Architecture.of(m).inputRange();
    double[] x = new double[m.inputSize()];
    x[5] = r.hi();
    x[6] = r.lo();
    r.check(x, 0);
    x[5] = Math.nextUp(r.hi());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.check(x, 2));
    assertTrue(
        e.getMessage().contains("input 2, value 5")
            && e.getMessage().contains("outside the range " + r)
            && e.getMessage().contains("calibrated for"),
        e.getMessage());
  }

  @Test
  void anInputOutsideTheRangeIsRefusedNamingIt() {
    InputRange r = new InputRange(-2, 3);
    r.check(new double[] {-2, 0, 3}, 0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> r.check(new double[] {0, 3.5}, 4));
    assertTrue(e.getMessage().contains("input 4, value 1 is 3.5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> r.check(new double[] {Double.NaN}, 0));
  }
}
