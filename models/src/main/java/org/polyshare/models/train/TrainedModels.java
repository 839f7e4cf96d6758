package org.polyshare.models.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.OnnxImporter;

/**
 * Trained models shipped in the jar under {@code /zoo/NAME.onnx}, each with a {@code NAME.md}
 * beside it saying how it was made (command, epochs, seed, accuracy).
 */
public final class TrainedModels {
  private TrainedModels() {}

  /** LeNet-5 PKN trained on MNIST by {@code models train lenet5-pkn}. */
  public static final String LENET5_PKN_MNIST = "lenet5-pkn-mnist";

  public static List<String> names() {
    return List.of(LENET5_PKN_MNIST);
  }

  public static Model load(String name) {
    String path = "/zoo/" + name + ".onnx";
    try (InputStream in = TrainedModels.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "no trained model '"
                + name
                + "' in the jar (known: "
                + String.join(", ", names())
                + ")");
      }
      return OnnxImporter.read(in, name);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trained model " + path, e);
    }
  }
}
