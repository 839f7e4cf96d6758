package org.polyshare.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Vector API loops ({@link VectorLanes}) equal the scalar oracle ({@link ScalarLanes}) bit for
 * bit on every shape the kernels cut, tails included, and {@link RingKernels} chooses as
 * documented. The test JVMs run with {@code --add-modules jdk.incubator.vector} (root pom), so the
 * vector class is loadable here whatever the machine's vector width.
 */
class RingLanesTest {
  private static final LongLanes SCALAR = ScalarLanes.INSTANCE;
  private static final LongLanes VECTOR = VectorLanes.INSTANCE;

  /** Both implementations' serial product on copies of the same C; asserts equal, returns it. */
  private static long[] bothSerial(
      SplittableRandom rnd, int m, int k, int n, int lda, int ldb, int ldc, int off) {
    long[] a = rnd.longs(off + (long) m * lda).toArray();
    long[] b = rnd.longs(off + (long) k * ldb).toArray();
    long[] c0 = rnd.longs(off + (long) m * ldc).toArray();
    long[] cs = c0.clone();
    long[] cv = c0.clone();
    RingGemm.serial(SCALAR, a, off, lda, b, off, ldb, cs, off, ldc, m, k, n);
    RingGemm.serial(VECTOR, a, off, lda, b, off, ldb, cv, off, ldc, m, k, n);
    String shape = m + "x" + k + "x" + n + " lda " + lda + " ldb " + ldb + " ldc " + ldc;
    assertArrayEquals(cs, cv, shape);
    return cs;
  }

  @Test
  void vectorSerialProductEqualsScalarOnRaggedShapesStridesAndOffsets() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int trial = 0; trial < 300; trial++) {
      int m = 1 + rnd.nextInt(13);
      int k = 1 + rnd.nextInt(140);
      // n below one vector, around it, and past the NB column block, with every remainder mod 8
      int n = trial % 3 == 0 ? 1 + rnd.nextInt(9) : 1 + rnd.nextInt(1100);
      boolean strided = rnd.nextBoolean();
      int lda = k + (strided ? rnd.nextInt(7) : 0);
      int ldb = n + (strided ? rnd.nextInt(7) : 0);
      int ldc = n + (strided ? rnd.nextInt(7) : 0);
      bothSerial(rnd, m, k, n, lda, ldb, ldc, rnd.nextInt(5));
    }
  }

  @Test
  void vectorEqualsScalarOnTheResNet18ConvShapes() {
    SplittableRandom rnd = new SplittableRandom(13);
    // CIFAR ResNet-18: stem, the four stages (first conv strided), the 1x1 shortcuts
    Conv2dShape[] shapes = {
      Conv2dShape.of(1, 3, 32, 64, 3, 1, 1),
      Conv2dShape.of(1, 64, 32, 64, 3, 1, 1),
      Conv2dShape.of(1, 64, 32, 128, 3, 2, 1),
      Conv2dShape.of(1, 128, 16, 128, 3, 1, 1),
      Conv2dShape.of(1, 128, 16, 256, 3, 2, 1),
      Conv2dShape.of(1, 256, 8, 256, 3, 1, 1),
      Conv2dShape.of(1, 256, 8, 512, 3, 2, 1),
      Conv2dShape.of(1, 512, 4, 512, 3, 1, 1),
      Conv2dShape.of(1, 64, 32, 128, 1, 2, 0),
      Conv2dShape.of(1, 256, 8, 512, 1, 2, 0),
    };
    for (Conv2dShape s : shapes) {
      long[] x = rnd.longs(s.inputNumel()).toArray();
      long[] w = rnd.longs(s.weightNumel()).toArray();
      long[] cols = new long[s.patchSize() * s.outH() * s.outW()];
      RingConv.im2col(x, 0, s, cols);
      int kk = s.inC() * s.kH() * s.kW();
      int plane = s.outH() * s.outW();
      long[] cs = new long[s.outputNumel()];
      long[] cv = new long[s.outputNumel()];
      RingGemm.serial(SCALAR, w, 0, kk, cols, 0, plane, cs, 0, plane, s.outC(), kk, plane);
      RingGemm.serial(VECTOR, w, 0, kk, cols, 0, plane, cv, 0, plane, s.outC(), kk, plane);
      assertArrayEquals(cs, cv, s.toString());
      assertArrayEquals(cs, RingConv.conv2d(x, w, s), s + ": the pooled conv path");
    }
  }

  @Test
  void vectorElementwiseEqualsScalarForEveryTailLength() {
    SplittableRandom rnd = new SplittableRandom(14);
    for (int n = 0; n < 70; n++) {
      long[] l = rnd.longs(n).toArray();
      long[] r = rnd.longs(n).toArray();
      long[] os = rnd.longs(n).toArray();
      long[] ov = os.clone();
      SCALAR.multiplyAdd(l, r, os, n);
      VECTOR.multiplyAdd(l, r, ov, n);
      assertArrayEquals(os, ov, "n=" + n);
    }
  }

  @Test
  void theTestJvmLoadsTheVectorModule() {
    assertTrue(RingKernels.probeLanes() >= 1, "surefire must run with --add-modules");
  }

  @Test
  void choiceFollowsTheForcingPropertyTheProbeAndTheLaneFloor() {
    assertSame(SCALAR, RingKernels.choose("scalar", () -> 8).lanes());
    assertSame(SCALAR, RingKernels.choose(" Scalar ", () -> 8).lanes());
    assertSame(VECTOR, RingKernels.choose("", () -> 8).lanes());
    assertSame(VECTOR, RingKernels.choose("vector", () -> 4).lanes());
    assertEquals(
        "vector (" + VectorLanes.lanes() + " long lanes)",
        RingKernels.choose("", () -> 8).describe());

    RingKernels.Choice absent = RingKernels.choose("vector", () -> -1);
    assertSame(SCALAR, absent.lanes());
    assertTrue(absent.describe().contains("--add-modules jdk.incubator.vector"), absent.describe());

    RingKernels.Choice narrow = RingKernels.choose("", () -> 2);
    assertSame(SCALAR, narrow.lanes());
    assertTrue(narrow.describe().contains("holds 2 longs"), narrow.describe());
    assertSame(VECTOR, RingKernels.choose("vector", () -> 2).lanes(), "forced past the floor");

    RingKernels.Choice typo = RingKernels.choose("vectr", () -> 8);
    assertSame(VECTOR, typo.lanes());
    assertTrue(typo.describe().contains("vectr is neither"), typo.describe());
  }
}
