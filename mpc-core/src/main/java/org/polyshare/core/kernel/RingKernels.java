package org.polyshare.core.kernel;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the ring kernels' inner loops once per process: the Vector API ({@link VectorLanes}) when
 * the JVM runs with {@value #MODULE_FLAG} and the preferred species holds at least {@value
 * #MIN_LANES} longs, else the scalar loops ({@link ScalarLanes}), with one INFO line saying why.
 * Below 4 lanes (SSE alone) the JIT's emulated 64-bit multiply makes the vector loop lose to the
 * scalar one. At 4 (AVX2, which has no {@code vpmullq}) the multiply is emulated too, yet the
 * vector loop still wins: GEMM 2.66 against 1.67 G multiply-adds/s on one Zen 3 core under JDK 17
 * (docs/benchmarks.md). {@code -D}{@value #PROPERTY}{@code =scalar|vector} forces a choice ({@code
 * vector} still falls back when the module is absent). The bin scripts and every JVM that PolyShare
 * spawns add the flag; a plain {@code java -jar} without it runs correctly, only slower.
 */
public final class RingKernels {
  static final String PROPERTY = "polyshare.kernels";
  static final String MODULE_FLAG = "--add-modules jdk.incubator.vector";
  static final int MIN_LANES = 4;

  private static final Logger LOG = LoggerFactory.getLogger(RingKernels.class);

  /** The implementation chosen and the reason, for the log and {@code bench kernels}. */
  record Choice(LongLanes lanes, String reason) {
    String describe() {
      return lanes.describe() + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
  }

  private static final Choice CHOSEN = chosen();

  static final String LIMBS_PROPERTY = "polyshare.kernels.limbs";

  /** The JDK from which the long lanes, on 4-lane CPUs, match the limb product (measured on 25). */
  static final int LIMBS_UNTIL_JDK = 25;

  /** Whether narrow-A products take the limb kernel, and why. */
  record Limbs(boolean on, String reason) {}

  private static final Limbs LIMBS = limbsChoice();

  private RingKernels() {}

  /**
   * The implementation the kernels of this process run, e.g. {@code vector (8 long lanes)}, whether
   * narrow-operand products take the limb kernel, and with it {@link WinogradConv}.
   */
  public static String describe() {
    return CHOSEN.describe()
        + "; narrow-A products: "
        + LIMBS.reason()
        + (LIMBS.on() ? "; 3x3 stride-1 convs with narrow weights: Winograd F(2x2, 3x3)" : "");
  }

  /**
   * Whether a product whose left operand is narrow (fixed-point weights) runs as three exact double
   * products ({@link LimbGemm}): by default where the long lanes are 4 wide (AVX2: no {@code
   * vpmullq}, so the JIT emulates the lane multiply) on a JDK before {@value #LIMBS_UNTIL_JDK}.
   * Measured on one Zen 3 core, JDK 17 ({@code bench kernels --threads 1}): the GEMM and the
   * ResNet-18 conv with fixed-point weights 1.4–1.8x faster than the long lanes; on JDK 25 the long
   * lanes were as fast. {@code -D}{@value #LIMBS_PROPERTY}{@code =on|off} overrides (on needs the
   * Vector API's 256-bit species). The result is the same bits either way.
   */
  static boolean limbs() {
    return LIMBS.on();
  }

  private static Limbs limbsChoice() {
    Limbs c =
        chooseLimbs(
            System.getProperty(LIMBS_PROPERTY, ""),
            CHOSEN.lanes() instanceof VectorLanes && LimbGemm.fits(),
            CHOSEN.lanes() instanceof VectorLanes ? VectorLanes.lanes() : 0,
            Runtime.version().feature());
    LOG.debug("narrow-A products: {}", c.reason());
    return c;
  }

  /**
   * The limb choice for the property value {@code forced} ("", on, off), whether the 256-bit
   * species is there, the long lanes and the JDK feature version.
   */
  static Limbs chooseLimbs(String forced, boolean fits, int longLanes, int jdk) {
    String mode = forced.trim().toLowerCase(Locale.ROOT);
    if (mode.equals("off")) {
      return new Limbs(false, "long lanes (limbs off by -D" + LIMBS_PROPERTY + "=off)");
    }
    if (!fits) {
      return new Limbs(
          false, "long lanes (the limb kernel needs the Vector API and 256-bit vectors)");
    }
    if (mode.equals("on")) {
      return new Limbs(true, "limbs (forced by -D" + LIMBS_PROPERTY + "=on)");
    }
    if (!mode.isEmpty()) {
      Limbs auto = chooseLimbs("", true, longLanes, jdk);
      return new Limbs(
          auto.on(),
          auto.reason()
              + "; -D"
              + LIMBS_PROPERTY
              + "="
              + forced
              + " is neither on nor off, ignored");
    }
    if (longLanes != 4) {
      return new Limbs(false, "long lanes (" + longLanes + " long lanes multiply natively)");
    }
    if (jdk >= LIMBS_UNTIL_JDK) {
      return new Limbs(false, "long lanes (JDK " + jdk + "'s 4-lane long multiply is as fast)");
    }
    return new Limbs(true, "limbs (3 exact double products: 4 long lanes, JDK " + jdk + ")");
  }

  static LongLanes lanes() {
    return CHOSEN.lanes();
  }

  private static Choice chosen() {
    Choice c = choose(System.getProperty(PROPERTY, ""), RingKernels::probeLanes);
    if (c.lanes() instanceof ScalarLanes) {
      LOG.info("ring kernels: {}", c.describe());
    } else {
      LOG.debug("ring kernels: {}", c.describe());
    }
    return c;
  }

  /** How many long lanes the Vector API offers, or -1 when its module is not in the JVM. */
  interface Probe {
    int lanes();
  }

  /** The choice for the property value {@code forced} ("", scalar, vector) and the probe. */
  static Choice choose(String forced, Probe probe) {
    String mode = forced.trim().toLowerCase(Locale.ROOT);
    if (mode.equals("scalar")) {
      return new Choice(ScalarLanes.INSTANCE, "forced by -D" + PROPERTY + "=scalar");
    }
    String ignored =
        mode.isEmpty() || mode.equals("vector")
            ? ""
            : "; -D" + PROPERTY + "=" + forced + " is neither scalar nor vector, ignored";
    int lanes = probe.lanes();
    if (lanes < 0) {
      return new Choice(
          ScalarLanes.INSTANCE,
          "jdk.incubator.vector is not loaded: add "
              + MODULE_FLAG
              + " to the java command line"
              + ignored);
    }
    if (lanes < MIN_LANES && !mode.equals("vector")) {
      return new Choice(
          ScalarLanes.INSTANCE,
          "the preferred vector holds "
              + lanes
              + " longs, fewer than "
              + MIN_LANES
              + ": scalar is faster; -D"
              + PROPERTY
              + "=vector forces it"
              + ignored);
    }
    return new Choice(VectorLanes.INSTANCE, ignored.isEmpty() ? "" : ignored.substring(2));
  }

  /**
   * The one place that touches {@code jdk.incubator.vector}: without the module, linking {@link
   * VectorLanes} throws {@link NoClassDefFoundError} (a {@link LinkageError}), caught here.
   */
  static int probeLanes() {
    try {
      return VectorLanes.lanes();
    } catch (LinkageError absent) {
      return -1;
    }
  }
}
