package org.polyshare.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.onnx.OnnxExporter;
import org.polyshare.models.zoo.Zoo;

/**
 * {@code models export --architecture-only} and {@code models architecture} agree with party 0's
 * hash.
 */
class ArchitectureCommandTest {
  private static String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, ModelsCli.commandLine().execute(args), out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void exportArchitectureOnlyWritesNoWeightsAndEveryFormHashesAlike(@TempDir Path dir)
      throws Exception {
    String expected = Architecture.of(Zoo.load("lenet5-pkn")).sha256Hex(); // what party 0 prints
    Path arch = dir.resolve("lenet.arch");
    assertTrue(
        run("export", "lenet5-pkn", "--architecture-only", "-o", arch.toString())
            .contains(expected));
    Architecture read = Architecture.read(arch);
    assertTrue(Architecture.holdsNoWeights(read.model()));
    assertTrue(
        Files.size(arch) < 4096, "an architecture file is small: " + Files.size(arch) + " bytes");

    Path onnx = dir.resolve("lenet.onnx");
    OnnxExporter.write(Zoo.load("lenet5-pkn"), onnx);
    Path fromOnnx = dir.resolve("from-onnx.arch");
    for (String model : new String[] {"lenet5-pkn", arch.toString(), onnx.toString()}) {
      assertTrue(run("architecture", model).startsWith(expected + "  lenet5-pkn"), model);
    }
    run("architecture", onnx.toString(), "-o", fromOnnx.toString());
    assertEquals(expected, Architecture.read(fromOnnx).sha256Hex());
  }
}
