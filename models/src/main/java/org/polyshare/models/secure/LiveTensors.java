package org.polyshare.models.secure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.polyshare.models.graph.Model;

/**
 * The tensors of one forward pass that some later layer still reads, by name; each is dropped after
 * its last reader (ResNet's skip connections keep a few alive, a chain keeps one).
 */
final class LiveTensors {
  private final Map<String, long[]> live = new HashMap<>();
  private final Map<String, Integer> readers = new HashMap<>();

  LiveTensors(List<SecureLayer> layers, long[] input) {
    for (SecureLayer l : layers) {
      for (String in : l.inputs()) {
        readers.merge(in, 1, Integer::sum);
      }
    }
    live.put(Model.INPUT, input);
  }

  /** The inputs of {@code l}, in the order of its {@code inputs()}; releases their last use. */
  long[][] inputs(SecureLayer l) {
    List<String> names = l.inputs();
    long[][] in = new long[names.size()][];
    for (int i = 0; i < in.length; i++) {
      in[i] = live.get(names.get(i));
      if (in[i] == null) {
        throw new IllegalStateException(
            "layer '"
                + l.name()
                + "' reads '"
                + names.get(i)
                + "', which is not computed before it");
      }
    }
    for (String name : names) {
      if (readers.merge(name, -1, Integer::sum) == 0) {
        live.remove(name);
      }
    }
    return in;
  }

  void put(SecureLayer l, long[] out) {
    live.put(l.name(), out);
  }
}
