package org.polyshare.models.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;

/**
 * A model named on a command line: a zoo name ({@code resnet18-pkn}) or a user's ONNX file ({@code
 * my-pkn.onnx}, any path ending in {@code .onnx}). The file's weights are its own; a zoo model gets
 * the zoo's calibrated random weights.
 */
public final class ModelSource {
  private ModelSource() {}

  /** True when {@code nameOrFile} names an ONNX file rather than a zoo model. */
  public static boolean isFile(String nameOrFile) {
    return nameOrFile.toLowerCase(Locale.ROOT).endsWith(".onnx");
  }

  /** The model with its weights: imported from the file, or the zoo's. */
  public static Model load(String nameOrFile) {
    return isFile(nameOrFile) ? readFile(nameOrFile) : Zoo.load(nameOrFile);
  }

  /** The architecture only (shapes, no weights): what party 1 may know. */
  public static Model architecture(String nameOrFile) {
    return isFile(nameOrFile)
        ? Architecture.of(readFile(nameOrFile)).model()
        : Zoo.architecture(nameOrFile);
  }

  /** Imports an ONNX file; I/O problems become an {@link OnnxFormatException} naming it. */
  public static Model readFile(String file) {
    Path p = Path.of(file);
    try {
      return OnnxImporter.read(p);
    } catch (IOException e) {
      throw new OnnxFormatException("cannot read ONNX model " + p + ": " + e.getMessage(), e);
    }
  }
}
