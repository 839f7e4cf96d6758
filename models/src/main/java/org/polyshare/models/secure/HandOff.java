package org.polyshare.models.secure;

import java.util.ArrayList;
import java.util.List;
import org.polyshare.core.protocol.RangeListener;

/**
 * Party 1 as a pipe: when a layer's output is finished piece by piece by an opening arriving from
 * party 0 ({@link SecureLayer#handsOffOutput}: a carried fused power, a truncation) and owner-held
 * products read it ({@link SecureLayer#streamsMaskedInput}), party 1 puts each reader's masked
 * input {@code X_1 − A_1} for a finished range on the wire at once, instead of after the whole
 * opening and the producer's step. Then party 1 → 0 traffic of layer L+1 runs while party 0 → 1
 * traffic of layer L is still arriving. Same messages, same bytes; each message only leaves earlier
 * (inside the producer's online step, where the meters count it). Party 0 is unchanged.
 *
 * <p>Order: every owner-held product's masked input travels under one tag, which party 0 reads in
 * program order. So a producer streams to the owner-held products that follow it <em>without
 * another owner-held product in between</em> and read its output alone (a ResNet block's conv1
 * after the previous Add, conv2 after conv1; not the downsample conv, which comes after conv2). The
 * first streams piece by piece, the others (consecutive readers of one tensor) whole when the last
 * piece is in. Their offline steps must have run before the producer's online step: streamed
 * offline runs them ahead ({@link #lookahead}), at both parties alike, so both draw the dealer's
 * batches in the same order.
 */
final class HandOff {
  private static final int[] NONE = new int[0];

  /** Per layer, the indices of the readers its output streams to (ascending; empty if none). */
  private final int[][] readers;

  private HandOff(int[][] readers) {
    this.readers = readers;
  }

  /** The hand-offs of {@code layers}; none when {@code on} is false. */
  static HandOff of(List<SecureLayer> layers, boolean on) {
    int[][] readers = new int[layers.size()][];
    for (int i = 0; i < layers.size(); i++) {
      readers[i] = on && layers.get(i).handsOffOutput() ? readersOf(layers, i) : NONE;
    }
    return new HandOff(readers);
  }

  private static int[] readersOf(List<SecureLayer> layers, int producer) {
    List<String> only = List.of(layers.get(producer).name());
    List<Integer> out = new ArrayList<>();
    for (int j = producer + 1; j < layers.size(); j++) {
      SecureLayer l = layers.get(j);
      if (!l.streamsMaskedInput()) {
        continue; // sends nothing under the masked-input tag
      }
      if (!l.inputs().equals(only)) {
        break; // its own masked input must leave first
      }
      out.add(j);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The readers layer {@code i}'s output streams to. */
  int[] readers(int i) {
    return readers[i];
  }

  /** The last layer whose offline step must have run before layer {@code i}'s online step. */
  int lookahead(int i) {
    int[] r = readers[i];
    return r.length == 0 ? i : r[r.length - 1];
  }

  /**
   * The producer's listener: the first reader's masked input follows each finished range, the
   * others' leave whole after the last range (one message at a time under the tag).
   */
  static RangeListener fanOut(List<RangeListener> inputs) {
    RangeListener first = inputs.get(0);
    List<RangeListener> rest = inputs.subList(1, inputs.size());
    return (out, from, to) -> {
      first.ready(out, from, to);
      if (to == out.length) {
        for (RangeListener r : rest) {
          r.ready(out, 0, out.length);
        }
      }
    };
  }
}
