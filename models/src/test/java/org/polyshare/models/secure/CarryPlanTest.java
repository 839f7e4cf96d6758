package org.polyshare.models.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.cli.ModelsCli;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;

/** Which PolyKervs carry, fuse or keep the chain, and why; and that `models inspect` says so. */
class CarryPlanTest {
  private static CarryPlan.Kerv kerv(Model m, SecureOptions o, String layer) {
    return CarryPlan.of(m, o).kerv(layer);
  }

  @Test
  void resNetCarriesEveryBlockPolyKervButTheStemWhoseAddNeedsFBits() {
    Model m = Zoo.architecture("resnet18-pkn");
    SecureOptions o = SecureOptions.defaults().withTruncation(TruncationMode.EXACT);
    CarryPlan.Kerv stem = kerv(m, o, "stem");
    assertEquals(CarryPlan.Form.FUSED, stem.form());
    assertTrue(stem.why().contains("Add 'l1b0_add'"), stem.why());
    assertEquals(2, stem.openings());
    CarryPlan.Kerv conv1 = kerv(m, o, "l2b0_conv1");
    assertEquals(CarryPlan.Form.CARRIED, conv1.form());
    assertEquals(1, conv1.openings());
    for (CarryPlan.Kerv k : CarryPlan.of(m, o).kervs()) {
      assertEquals(16, k.inputShift(), k + ": no block PolyKerv reads a carried tensor");
    }
  }

  @Test
  void vggChainsOfPolyKervsTruncateByTheCarriedShift() {
    Model m = Zoo.architecture("vgg16-pkn");
    CarryPlan plan = CarryPlan.of(m, SecureOptions.defaults());
    assertEquals(16, plan.kerv("conv1").inputShift());
    assertEquals(32, plan.kerv("conv2").inputShift(), "conv2 reads conv1's power at 2f");
    assertEquals(16, plan.kerv("conv3").inputShift(), "a pool truncated the carry first");
    for (CarryPlan.Kerv k : plan.kervs()) {
      assertEquals(CarryPlan.Form.CARRIED, k.form(), k.toString());
    }
  }

  @Test
  void degreeThreeFusesDegreeFourChainsAndLocalOrOffKeepsTheChain() {
    Model m3 = TrafficFingerprint.allKinds(); // pk has dp = 3 at f = 16
    SecureOptions o = SecureOptions.defaults();
    CarryPlan.Kerv k3 = kerv(m3, o, "pk");
    assertEquals(CarryPlan.Form.FUSED, k3.form());
    assertTrue(k3.why().contains("64 bits"), k3.why());
    assertEquals(
        CarryPlan.Form.CHAIN,
        kerv(m3, o.withTruncation(TruncationMode.LOCAL), "pk").form(),
        "local truncation has no dealer tuples");
    assertEquals(CarryPlan.Form.CHAIN, kerv(m3, o.withFusedPolyKerv(false), "pk").form());
    Model.Builder b = Model.builder("dp4", 1, 4, 4);
    b.polyKerv("pk4", b.last(), 2, 3, 1, 1, 1.0, 4);
    b.flatten("flat").linear("fc", 2);
    CarryPlan.Kerv k4 = kerv(b.build(), o, "pk4");
    assertEquals(CarryPlan.Form.CHAIN, k4.form(), "the power at 64 bits does not fit");
    assertEquals(1 + 2 * 2, k4.openings(), "truncation, then two squares of two openings each");
  }

  @Test
  void inspectPrintsEachPolyKervsLowering() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      assertEquals(0, ModelsCli.commandLine().execute("inspect", "lenet5-pkn"));
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("PolyKerv lowering"), out);
    assertTrue(out.matches("(?s).*\\nf6 +carried +2 +1 +32 .*"), out);
    assertTrue(out.contains("at the compiled scales: tightest"), out);
  }
}
