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
  void resNetCarriesEveryPolyKervAndFoldsTheTruncationsOfEachAddWithAShortcutIntoOne() {
    Model m = Zoo.architecture("resnet18-pkn");
    SecureOptions o = SecureOptions.defaults().withTruncation(TruncationMode.EXACT);
    CarryPlan plan = CarryPlan.of(m, o);
    for (CarryPlan.Kerv k : plan.kervs()) {
      assertEquals(CarryPlan.Form.CARRIED, k.form(), k.toString());
      assertEquals(1, k.openings(), k.toString());
    }
    assertEquals(32, plan.kerv("l1b0_conv1").inputShift(), "it reads the stem's power at 2f");
    assertEquals(16, plan.kerv("l1b1_conv1").inputShift(), "an Add's output is at f bits");
    // the stem's power (32 bits) shifts up 16 to meet l1b0_conv2's raw product (48 bits)
    CarryPlan.AddFold first = plan.add("l1b0_add");
    assertEquals(32, first.shift());
    assertEquals(0, first.leftUp());
    assertEquals(16, first.rightUp());
    for (String block : new String[] {"l2b0", "l3b0", "l4b0"}) {
      CarryPlan.AddFold a = plan.add(block + "_add");
      assertEquals(32, a.shift(), a.toString());
      assertEquals(16, a.rightUp(), a + ": the 1x1 shortcut's product is at 2f");
      assertEquals(16, plan.excess(block + "_down"), "the shortcut stays raw at 2f");
      assertEquals(32, plan.excess(block + "_conv2"), "the main branch at 3f: it reads a power");
    }
    for (String block : new String[] {"l1b1", "l2b1", "l3b1", "l4b1"}) {
      assertEquals(0, plan.add(block + "_add").shift(), "an identity skip at f bits: local");
      assertEquals(0, plan.excess(block + "_conv2"), "its conv truncates in its own opening");
    }
    CarryPlan off = CarryPlan.of(m, o.withFusedPolyKerv(false));
    assertTrue(off.adds().stream().allMatch(a -> a.shift() == 0), "off: every Add is local");
  }

  /**
   * ResNet-18's openings that read owner-held products only take party 1's half offline: every
   * PolyKerv's, each identity block's conv2 truncation, each downsampling Add (conv2 + 1x1
   * shortcut, both raw) and the classifier's. Not the first Add (it reads the stem's power, whose
   * party-1 share depends on the opened c) nor the pool (it reads an Add's output).
   */
  @Test
  void resNetSendsParty1sHalfOfEveryOpeningOfAProductOffline() {
    CarryPlan plan = CarryPlan.of(Zoo.architecture("resnet18-pkn"), SecureOptions.defaults());
    java.util.Map<String, Integer> early = new java.util.LinkedHashMap<>();
    for (CarryPlan.EarlyHalf e : plan.earlyHalves()) {
      early.put(e.layer(), e.elements());
    }
    for (CarryPlan.Kerv k : plan.kervs()) {
      assertTrue(early.containsKey(k.layer()), k.layer());
    }
    for (String block : new String[] {"l1b1", "l2b1", "l3b1", "l4b1"}) {
      assertTrue(early.containsKey(block + "_conv2"), block);
    }
    for (String block : new String[] {"l2b0", "l3b0", "l4b0"}) {
      assertTrue(early.containsKey(block + "_add"), block);
      assertTrue(!early.containsKey(block + "_down"), "a raw product opens nothing itself");
    }
    assertTrue(!early.containsKey("l1b0_add"), "the stem's power is not fixed offline");
    assertTrue(!early.containsKey("gap"));
    assertEquals(10, early.get("fc"));
    long bytes = plan.earlyHalves().stream().mapToLong(CarryPlan.EarlyHalf::bytes).sum();
    // PolyKervs 311,296 + conv2s 122,880 + Adds 57,344 + fc 10 elements, 8 B each
    assertEquals(8L * (311_296 + 122_880 + 57_344 + 10), bytes);
    assertTrue(plan.format().contains("moved offline"), plan.format());
    assertTrue(
        CarryPlan.of(
                Zoo.architecture("resnet18-pkn"),
                SecureOptions.defaults().withTruncation(TruncationMode.LOCAL))
            .earlyHalves()
            .isEmpty(),
        "local truncation opens nothing");
  }

  @Test
  void anAddWhoseSumWouldNotFitKeepsItsOperandsAtFBitsAndSaysWhy() {
    // at f = 26 a product sits at 52 bits, past the limit of 50: the Add refuses the fold
    Model.Builder b = Model.builder("wide", 2, 4, 4).fracBits(26);
    b.conv("a", 2, 3, 1, 1).conv("main", "a", 2, 3, 1, 1).conv("side", "a", 2, 1, 1, 0);
    b.add("sum", "main", "side").flatten("flat").linear("fc", 3);
    CarryPlan plan = CarryPlan.of(b.build(), SecureOptions.defaults());
    CarryPlan.AddFold sum = plan.add("sum");
    assertEquals(0, sum.shift(), sum.toString());
    assertTrue(sum.why().contains("the sum at 52 bits would exceed 50"), sum.why());
    assertEquals(0, plan.excess("main"));
    assertEquals(0, plan.excess("side"));
    assertTrue(
        plan.format().matches("(?s).*\\nsum +local +0 +0 +operands at f bits.*"), plan.format());
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
    assertTrue(out.matches("(?s).*\\nc1 +fused power +4704 +37632\\n.*"), out);
  }
}
