package org.polyshare.models.secure;

import java.util.ArrayList;
import java.util.List;
import org.polyshare.core.protocol.RangeListener;
import org.polyshare.core.protocol.Tags;

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
 * program order. So a producer streams to the run of layers right after it that are owner-held
 * products reading its output alone (a ResNet block's conv1 after the previous Add, conv2 after
 * conv1; not the downsample conv, which comes after conv2). The first streams piece by piece, the
 * others (consecutive readers of one tensor) whole when the last piece is in. A reader whose
 * offline step waits for party 0 (a garbled ReLU), or sends under a tag on which party 1 also sends
 * in the producer's online step (an early truncation half after an Add that opens both halves
 * online), is not streamed: party 1 runs it ahead, so either would cross the two parties' order.
 *
 * <p>Offline: the readers' offline steps (their masks {@code A_1}) must have run before the
 * producer's online step. With streamed offline party 1 runs them ahead ({@link #lookahead}); party
 * 0 keeps its schedule (each offline step just before its online step, overlapping party 1's
 * streaming). Both still fetch the dealer's batches in plan order, and both draw the same batches:
 * only the readers' offline steps move, ahead of the producer's online step alone, which draws
 * nothing from the store (its opening was prepared offline).
 */
final class HandOff {
  private static final int[] NONE = new int[0];

  /**
   * The most bytes one hand-off may keep in flight: the opening coming in and the readers' masked
   * inputs going out. While party 1 streams, party 0 is still sending its opening and reads the
   * masked inputs only afterwards, so both directions' unread bytes wait in the links' receive
   * queues; past the queues' capacity (64 MiB, where a link stops reading) each party would block
   * on the other until the timeout. A quarter of it leaves margin; a larger batch takes the
   * unstreamed path for that tensor.
   */
  static final long MAX_IN_FLIGHT_BYTES = 16L << 20;

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
      if (8L * layers.get(i).n() * (1 + readers[i].length) > MAX_IN_FLIGHT_BYTES) {
        readers[i] = NONE;
      }
    }
    return new HandOff(readers);
  }

  private static int[] readersOf(List<SecureLayer> layers, int producer) {
    List<String> only = List.of(layers.get(producer).name());
    List<Integer> out = new ArrayList<>();
    for (int j = producer + 1; j < layers.size(); j++) {
      SecureLayer l = layers.get(j);
      if (!l.streamsMaskedInput()
          || !l.inputs().equals(only)
          || l.offlineWaitsForPeer()
          || sharesATag(layers.get(producer), l)) {
        break;
      }
      out.add(j);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Whether party 1 sends under one tag in the producer's online and the reader's offline step. */
  private static boolean sharesATag(SecureLayer producer, SecureLayer reader) {
    for (int tag : new int[] {Tags.TRUNCATE, Tags.FUSED_POWER}) {
      if (producer.clientSendsOnline(tag) && reader.clientSendsOffline(tag)) {
        return true;
      }
    }
    return false;
  }

  /** The readers layer {@code i}'s output streams to. */
  int[] readers(int i) {
    return readers[i];
  }

  /**
   * The last layer whose offline step party 1 must have run before layer {@code i}'s online step.
   */
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
