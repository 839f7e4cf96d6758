package org.polyshare.bench.accuracy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.ModelSource;
import org.polyshare.models.train.TrainedModels;

/**
 * A model named on a bench command line: an existing ONNX file, a trained model shipped in the jar
 * ({@code lenet5-pkn-mnist}), or else a zoo name with calibrated random weights.
 */
public final class ModelArgument {
  private ModelArgument() {}

  public static Model load(String arg) {
    if (Files.exists(Path.of(arg)) || ModelSource.isFile(arg)) {
      return ModelSource.readFile(arg);
    }
    return TrainedModels.names().contains(arg) ? TrainedModels.load(arg) : ModelSource.load(arg);
  }
}
