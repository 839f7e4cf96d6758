package org.polyshare.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;

class TrainedModelsTest {

  @Test
  void shippedLenet5PknHasTheZooArchitecture() {
    Model m = TrainedModels.load(TrainedModels.LENET5_PKN_MNIST);
    Model zoo = Zoo.architecture("lenet5-pkn");
    assertEquals(zoo.layers().size(), m.layers().size());
    for (int i = 0; i < zoo.layers().size(); i++) {
      Layer a = zoo.layers().get(i), b = m.layers().get(i);
      assertEquals(a.kind(), b.kind(), "layer " + i);
    }
  }

  @Test
  void shippedLenet5PknClassifiesMnist() throws IOException {
    Path dir = TrainerTest.mnistDir();
    Assumptions.assumeTrue(
        Mnist.present(dir),
        "MNIST IDX files not found in "
            + dir.toAbsolutePath()
            + ": skipping (fetch with `bin/models data mnist --out data/mnist`)");
    Mnist.Split test = Mnist.test(dir).head(1000);
    double acc =
        TrainerTest.plainAccuracy(TrainedModels.load(TrainedModels.LENET5_PKN_MNIST), test);
    assertTrue(acc > 0.97, "plaintext accuracy on the first 1000 test images: " + acc);
  }
}
