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

  /**
   * The Fashion-MNIST ResNet-8 (16/32/64 channels) in its three activation arms, trained by {@code
   * models/src/main/python/train_fashion.py}: ReLU, PKN {@code (conv + cp)^2} and R-PKN {@code
   * ap·(conv + cp)^2}.
   */
  public static final String RESNET8_RELU_FASHION = "resnet8-relu-fashion",
      RESNET8_PKN_FASHION = "resnet8-pkn-fashion",
      RESNET8_RPKN_FASHION = "resnet8-rpkn-fashion";

  public static List<String> names() {
    return List.of(
        LENET5_PKN_MNIST, RESNET8_RELU_FASHION, RESNET8_PKN_FASHION, RESNET8_RPKN_FASHION);
  }

  /** The shipped models trained on Fashion-MNIST (read their inputs with {@code FashionMnist}). */
  public static List<String> fashionNames() {
    return List.of(RESNET8_RELU_FASHION, RESNET8_PKN_FASHION, RESNET8_RPKN_FASHION);
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
