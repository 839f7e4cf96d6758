package org.polyshare.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.core.kernel.RingKernels;
import org.polyshare.core.kernel.RingThreads;

/** {@code bench kernels} on tiny shapes: both kernels measured, rates and calls reported. */
class KernelsCommandTest {
  /** {@code bench kernels} on a 4x8x4 GEMM and a {@code channels}-channel 4x4 conv, its JSON. */
  private static JsonObject kernels(Path dir, int channels) throws Exception {
    Path json = dir.resolve("k.json");
    assertEquals(
        0,
        BenchCli.commandLine()
            .execute(
                "kernels",
                "--m",
                "4",
                "--k",
                "8",
                "--n",
                "4",
                "--channels",
                "" + channels,
                "--hw",
                "4",
                "--seconds",
                "0.05",
                "--json",
                json.toString()));
    return JsonParser.parseString(Files.readString(json)).getAsJsonObject();
  }

  @Test
  void bothKernelsReportRatesAndCalls(@TempDir Path dir) throws Exception {
    JsonObject j = kernels(dir, 2);
    assertEquals("4x8x4", j.get("gemm_shape").getAsString());
    // the rates are over the kernel pool, and the report says how many threads that is
    assertEquals(RingThreads.shared().threads(), j.get("threads").getAsLong(), j.toString());
    for (String k : new String[] {"gemm", "conv2d", "gemm_weights", "conv2d_weights"}) {
      assertTrue(j.get(k + "_calls").getAsLong() >= 1, j.toString());
      assertTrue(j.get(k + "_wall_G_mac_per_s").getAsDouble() > 0, j.toString());
    }
  }

  @Test
  void theOwnersKernelIsNamedAndMeasured(@TempDir Path dir) throws Exception {
    JsonObject j = kernels(dir, 128);
    boolean winograd = RingKernels.describe().contains("Winograd");
    assertEquals(
        winograd ? "winograd F(2x2, 3x3)" : "direct",
        j.get("conv2d_owner_kernel").getAsString(),
        j.toString());
    assertTrue(j.get("conv2d_owner_wall_G_mac_per_s").getAsDouble() > 0, j.toString());
    // below the Winograd floor of output channels the owner's kernel is the direct one
    assertEquals("direct", kernels(dir, 2).get("conv2d_owner_kernel").getAsString());
  }

  @Test
  void aNonPositiveMeasuringTimeIsRefused() {
    assertEquals(2, BenchCli.commandLine().execute("kernels", "--seconds", "0"));
  }
}
