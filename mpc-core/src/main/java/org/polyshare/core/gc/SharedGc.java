package org.polyshare.core.gc;

import com.google.common.base.Preconditions;
import org.polyshare.core.correlation.RandomOts;
import org.polyshare.core.protocol.Party;

/**
 * What both roles of the Delphi-style shared-input protocol agree on (used by {@link GcRelu} and
 * {@link GcMaxPool}): a function of {@code k} additively shared 64-bit values per instance,
 * computed by a garbled circuit whose output party 1 learns masked by party 0's fresh {@code r}.
 * Party 0 runs {@link SharedGarbler}, party 1 {@link SharedEvaluator}.
 *
 * <p>Circuit inputs, in order: {@code a_0..a_{k−1}} (party 0, {@code a_i = x_i − s_i}, known
 * online), {@code u = −r} (party 0), {@code s_0..s_{k−1}} (party 1's offline randomness); one
 * 64-bit output {@code f(a + s) + u}. See {@link GcRelu} for the offline/online split and the two
 * label tricks (chosen labels for {@code s} from random OT, {@link LabelOt}; seed-expanded active
 * labels for {@code u}).
 *
 * <p>Messages, in order. Offline: party 1 sends the masked OT choices {@code e}; party 0 sends a
 * fresh seed (expanded by both into the tweak nonce, then the {@code u} labels) and, per chunk of
 * up to {@link #CHUNK} instances, tables ‖ D ‖ decoding words. Online: party 1 sends {@code x1 −
 * s}, party 0 the active labels of {@code a}. Per-instance values are instance-major; labels of
 * instance {@code g}, word {@code i}, bit {@code j} at {@code ((g·k + i)·64 + j)·2}. OT number
 * {@code (g·k + i)·64 + j} carries that {@code s}-bit, so the receiver's choice word {@code g·k +
 * i} lines up with {@code s_{g,i}}.
 */
final class SharedGc {
  /** Instances garbled per engine call: enough for AES at full speed, small enough for cache. */
  static final int CHUNK = 256;

  static final int BITS = 64;

  private SharedGc() {}

  /** Message tags of one protocol family (distinct per family so streams never mix). */
  record Tags(int e, int seed, int tables, int masked, int labels) {
    static Tags of(int base) {
      return new Tags(base + 1, base + 2, base + 3, base + 4, base + 5);
    }
  }

  /**
   * The {@code count} random OTs of one batch from {@code party}'s source: party 0 must be their
   * sender, party 1 their receiver.
   */
  static RandomOts randomOts(Party party, int count) {
    RandomOts ots = party.correlations().randomOts(count);
    boolean sender = party.id() == 0;
    if (ots.count() != count || ots.isSender() != sender) {
      throw new IllegalStateException(
          "party "
              + party.id()
              + " got "
              + ots.count()
              + " random OTs as "
              + (ots.isSender() ? "sender" : "receiver")
              + "; the garbled circuit needs "
              + count
              + " with party "
              + party.id()
              + (sender ? " as sender" : " as receiver"));
    }
    return ots;
  }

  static void checkCircuit(Circuit c, int k) {
    Preconditions.checkArgument(
        c.inputCount() == 2 * k + 1 && c.outputBits() == BITS,
        "%s: a shared-input circuit needs %s 64-bit inputs and one 64-bit output",
        c.name(),
        2 * k + 1);
    for (int i = 0; i < c.inputCount(); i++) {
      Preconditions.checkArgument(
          c.inputWidth(i) == BITS, "%s: input %s is not 64 bits", c.name(), i);
    }
  }

  static void checkBatch(int n, int k) {
    Preconditions.checkArgument(n >= 0, "number of instances must be non-negative, got %s", n);
    Preconditions.checkArgument(
        (long) n * k * BITS * 2 < Integer.MAX_VALUE,
        "%s instances of %s values in one batch is too many; split the layer",
        n,
        k);
  }

  /** Offline phase of either role: party 0 garbles, party 1 receives. */
  static GcOffline prepare(Party party, GcFunction f, int n) {
    return party.id() == 0
        ? SharedGarbler.prepare(party, f, n)
        : SharedEvaluator.prepare(party, f, n);
  }

  /** Online phase of either role: this party's additive share of the output per instance. */
  static long[] online(Party party, GcOffline offline, Tags family, long[] myShare) {
    Preconditions.checkNotNull(offline, "offline material is required");
    return party.id() == 0
        ? SharedGarbler.online(party, offline, family, myShare)
        : SharedEvaluator.online(party, offline, family, myShare);
  }

  static void checkLength(long[] msg, long expect, String what) {
    if (msg.length != expect) {
      throw new IllegalStateException(
          "garbled circuit protocol: received "
              + msg.length
              + " longs of "
              + what
              + ", expected "
              + expect
              + " (the parties disagree on the batch size or the circuit)");
    }
  }
}
