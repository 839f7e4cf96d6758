package org.polyshare.models.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.zoo.ModelSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code models architecture MODEL}: prints the SHA-256 of a model's public architecture — the hash
 * party 0 prints and party 1 pins with {@code --expect-architecture} — and optionally writes the
 * architecture-only file. MODEL is a zoo name, an ONNX file or an architecture file.
 */
@Command(
    name = "architecture",
    description =
        "Print the SHA-256 of a model's architecture (what party 1 pins with --expect-architecture);"
            + " with --output also write the architecture-only file.")
final class ArchitectureCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "MODEL",
      description = "zoo name, .onnx file or architecture file")
  String model;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "write the architecture-only file here")
  Path output;

  @Override
  public Integer call() throws IOException {
    Architecture a = load(model);
    System.out.println(
        a.sha256Hex()
            + "  "
            + a.model().name()
            + " (input range "
            + a.inputRange()
            + ", f = "
            + a.model().fracBits()
            + ")");
    if (output != null) {
      a.write(output);
      System.out.println("wrote " + output + " (" + Files.size(output) + " bytes, no weights)");
    }
    return 0;
  }

  static Architecture load(String model) throws IOException {
    Path p = Path.of(model);
    if (Files.isRegularFile(p)) {
      byte[] head;
      try (InputStream in = Files.newInputStream(p)) {
        head = in.readNBytes(Architecture.MAGIC.length() + 1);
      }
      if (Architecture.looksLikeArchitecture(head)) {
        return Architecture.read(p);
      }
    }
    return Architecture.of(ModelSource.load(model));
  }
}
