package org.polyshare.models.zoo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.OnnxImporter;

/** Resolves a model argument: a zoo name, or a path to an {@code .onnx} file. */
public final class ModelSource {
  private ModelSource() {}

  public static Model load(String nameOrPath) {
    Path p = Path.of(nameOrPath);
    if (nameOrPath.endsWith(".onnx") || Files.isRegularFile(p)) {
      try {
        return OnnxImporter.read(p);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
      }
    }
    return Zoo.load(nameOrPath);
  }
}
