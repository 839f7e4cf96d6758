package org.polyshare.models.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.core.store.MaterialStore;
import org.polyshare.models.graph.MaxPool;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PoolWindow;
import org.polyshare.models.zoo.Zoo;
import org.polyshare.models.zoo.ZooCache;

/**
 * Garbled ReLU and max-pool layers with their material in files ({@link MaterialStore}): the same
 * results as the plaintext, the files gone once the inferences ran and the directories once the
 * stores close.
 */
class GcMaterialModelTest {
  @TempDir Path parent;

  /** conv → ReLU (garbled, fused) → 2×2 max-pool (garbled) → fc. */
  static Model reluMaxNet() {
    Model.Builder b = Model.builder("relu-max", 1, 8, 8);
    b.conv("c1", 3, 3, 1, 1).relu("r1");
    b.add(new MaxPool("mp", "r1", PoolWindow.of(2, 2), false));
    b.flatten("flat").linear("fc", 5);
    return Zoo.randomize(b.build(), 5);
  }

  private void check(Model model, Model clientView, int inputs, int batch) throws IOException {
    double[][] xs = Zoo.sampleInputs(model, inputs, 77);
    SecureRun.Outcome o;
    long[] peak = new long[2];
    try (MaterialStore s0 = MaterialStore.under(parent, 1 << 16);
        MaterialStore s1 = MaterialStore.under(parent, 1 << 16)) {
      o = SecureRun.run(model, clientView, xs, batch, SecureOptions.defaults(), false, s0, s1);
      for (MaterialStore s : new MaterialStore[] {s0, s1}) {
        assertEquals(0, s.bytes(), "every layer's material was consumed and removed");
        try (Stream<Path> left = Files.list(s.directory())) {
          assertEquals(0, left.count());
        }
      }
      peak[0] = s0.peakBytes();
      peak[1] = s1.peakBytes();
    }
    SecureModelTest.check(model.name(), model, xs, o.logits());
    assertTrue(peak[1] > peak[0] && peak[0] > 0, "party 1's tables outweigh party 0's labels");
    try (Stream<Path> left = Files.list(parent)) {
      assertEquals(0, left.count(), "the stores removed their directories");
    }
  }

  @Test
  void tinyAndLenet5ReluMatchPlaintextWithMaterialInFiles() throws IOException {
    check(ZooCache.get("tiny-relu"), Zoo.architecture("tiny-relu"), 8, 4);
    check(ZooCache.get("lenet5-relu"), Zoo.architecture("lenet5-relu"), 2, 2);
  }

  @Test
  void garbledMaxPoolMatchesPlaintextWithMaterialInFiles() throws IOException {
    Model m = reluMaxNet();
    check(m, m, 4, 4);
  }
}
