package org.polyshare.core.gc;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.List;
import org.polyshare.core.correlation.RandomOts;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.prg.Prg;
import org.polyshare.core.protocol.Party;

/**
 * Runs any {@link Circuit} (a Bristol Fashion file, say) between two parties over their {@link
 * PartyLink}, on {@code n} instances at once: party 0 garbles and holds every input but the last,
 * party 1 holds the last input and learns the outputs (plain Yao, semi-honest).
 *
 * <p>Phases, each a separate call so a caller can time them apart: labels (party 1's input labels
 * by {@link LabelOt} from the dealer's random OTs; party 0 also sends the tweak nonce), garble
 * (local), transfer (tables, party 0's active input labels, decoding bits), evaluate (local).
 * Instances are garbled {@code capacity} per engine call.
 *
 * <p>Messages: party 1 → 0 the masked choices {@code e}; party 0 → 1 D ‖ nonce, then per chunk of
 * {@code m} instances tables ‖ active labels of party 0's bits (input-, bit-, then instance-major)
 * ‖ one decoding bit per output bit and instance (output-bit-major).
 */
public final class CircuitRunner {
  private static final int TAG_E = 0x4743_4201;
  private static final int TAG_D = 0x4743_4202;
  private static final int TAG_CHUNK = 0x4743_4203;

  private CircuitRunner() {}

  /**
   * Party 0's side for {@code instances} instances; {@code inputs[i][k]}: input {@code i <
   * inputCount − 1} of instance k, LSB-first words.
   */
  public static GarblerSide garbler(
      Party party, Circuit c, int capacity, int instances, long[][][] inputs) {
    return new GarblerSide(party, c, capacity, instances, inputs);
  }

  /** Party 1's side; {@code inputs[k]}: the circuit's last input of instance k, LSB-first words. */
  public static EvaluatorSide evaluator(Party party, Circuit c, int capacity, long[][] inputs) {
    return new EvaluatorSide(party, c, capacity, inputs);
  }

  private static void checkShape(Circuit c, int n, int capacity) {
    Preconditions.checkArgument(c.inputCount() >= 1, "%s has no inputs", c.name());
    Preconditions.checkArgument(n >= 1, "at least one instance is needed");
    Preconditions.checkArgument(capacity >= 1, "capacity must be positive, got %s", capacity);
    Preconditions.checkArgument(
        (long) c.inputBits() * n * 2 < Integer.MAX_VALUE,
        "%s instances of %s are too many",
        n,
        c.name());
  }

  /** Party 0: garbles, sends tables and its own active labels. */
  public static final class GarblerSide {
    private final Party party;
    private final Circuit c;
    private final long[][][] inputs;
    private final int n;
    private final int eOff;
    private final int eWidth;
    private final long dLo;
    private final long dHi;
    private final long nonce;
    private final long[] gZero;
    private long[] eZero;
    private final List<long[]> msgs = new ArrayList<>();
    private final Garbler gb;

    private GarblerSide(Party party, Circuit c, int capacity, int n, long[][][] inputs) {
      Preconditions.checkArgument(
          party.id() == 0, "party %s cannot garble; party 0 does", party.id());
      checkShape(c, n, capacity);
      Preconditions.checkArgument(
          inputs.length == c.inputCount() - 1,
          "%s: the garbler holds %s inputs, %s given",
          c.name(),
          c.inputCount() - 1,
          inputs.length);
      for (long[][] in : inputs) {
        Preconditions.checkArgument(
            in.length == n, "%s instances of an input given, %s expected", in.length, n);
      }
      this.n = n;
      this.party = party;
      this.c = c;
      this.inputs = inputs;
      this.eOff = c.inputOffset(c.inputCount() - 1);
      this.eWidth = c.inputWidth(c.inputCount() - 1);
      Prg prg = party.localPrg();
      long[] delta = Garbler.randomDelta(prg);
      this.dLo = delta[0];
      this.dHi = delta[1];
      this.nonce = Tweaks.freshNonce(prg);
      this.gZero = prg.nextLongs(2 * eOff * n);
      this.gb = new Garbler(c, Math.min(capacity, n), dLo, dHi, nonce);
    }

    /** Labels phase: party 1's input labels by OT, and the tweak nonce. */
    public void transferLabels() {
      RandomOts ots = party.correlations().randomOts(eWidth * n);
      long[] e = party.link().receiveLongs(TAG_E);
      SharedGc.checkLength(e, (eWidth * (long) n + 63) >>> 6, "masked OT choices");
      eZero = new long[2 * eWidth * n];
      long[] dMsg = new long[2 * eWidth * n + 1];
      LabelOt.senderLabels(ots, e, dLo, dHi, 0, eWidth * n, eZero, 0, dMsg, 0);
      dMsg[dMsg.length - 1] = nonce;
      party.link().send(TAG_D, dMsg);
    }

    /** Garble phase: every chunk's message, kept for {@link #send}; no link traffic. */
    public void garble() {
      Preconditions.checkState(eZero != null, "transfer the evaluator's labels first");
      final int bits = c.inputBits();
      for (int first = 0; first < n; first += gb.capacity()) {
        int m = Math.min(gb.capacity(), n - first);
        int tableLongs = (int) gb.tableLongs(m);
        long[] msg = new long[tableLongs + 2 * eOff * m + m * c.outputBits()];
        for (int w = 0; w < bits; w++) {
          long[] lw = gb.inputLabels(w);
          for (int k = 0; k < m; k++) {
            int z = w < eOff ? ((first + k) * eOff + w) * 2 : ((first + k) * eWidth + w - eOff) * 2;
            long[] src = w < eOff ? gZero : eZero;
            lw[2 * k] = src[z];
            lw[2 * k + 1] = src[z + 1];
          }
        }
        gb.garble(m, first, msg, 0);
        int q = tableLongs;
        for (int i = 0; i < inputs.length; i++) {
          for (int j = 0; j < c.inputWidth(i); j++) {
            int w = c.inputOffset(i) + j;
            for (int k = 0; k < m; k++) {
              long v = -(long) Bits.get(inputs[i][first + k], j);
              int z = ((first + k) * eOff + w) * 2;
              msg[q++] = gZero[z] ^ (v & dLo);
              msg[q++] = gZero[z + 1] ^ (v & dHi);
            }
          }
        }
        for (int o = 0; o < c.outputBits(); o++) {
          for (int k = 0; k < m; k++) {
            msg[q++] = gb.decodeBit(o, k);
          }
        }
        msgs.add(msg);
      }
    }

    /** Transfer phase: sends the garbled chunks. */
    public void send() {
      Preconditions.checkState(!msgs.isEmpty(), "garble before sending");
      for (long[] msg : msgs) {
        party.link().send(TAG_CHUNK, msg);
      }
      msgs.clear();
    }

    /** All phases. */
    public void run() {
      transferLabels();
      garble();
      send();
    }
  }

  /** Party 1: receives, evaluates, decodes. */
  public static final class EvaluatorSide {
    private final Party party;
    private final Circuit c;
    private final long[][] inputs;
    private final int n;
    private final int cap;
    private final int eOff;
    private final int eWidth;
    private long[] mine;
    private long nonce;
    private final List<long[]> msgs = new ArrayList<>();

    private EvaluatorSide(Party party, Circuit c, int capacity, long[][] inputs) {
      Preconditions.checkArgument(
          party.id() == 1, "party %s cannot evaluate; party 1 does", party.id());
      checkShape(c, inputs.length, capacity);
      this.party = party;
      this.c = c;
      this.inputs = inputs;
      this.n = inputs.length;
      this.cap = Math.min(capacity, n);
      this.eOff = c.inputOffset(c.inputCount() - 1);
      this.eWidth = c.inputWidth(c.inputCount() - 1);
    }

    /** Labels phase: this party's input labels by OT, and the garbling's tweak nonce. */
    public void transferLabels() {
      RandomOts ots = party.correlations().randomOts(eWidth * n);
      long[] bits = new long[(eWidth * n + 63) >>> 6];
      for (int k = 0; k < n; k++) {
        for (int j = 0; j < eWidth; j++) {
          int t = k * eWidth + j;
          bits[t >>> 6] |= (long) Bits.get(inputs[k], j) << (t & 63);
        }
      }
      PartyLink link = party.link();
      link.send(TAG_E, LabelOt.maskedChoices(ots, bits));
      long[] d = link.receiveLongs(TAG_D);
      SharedGc.checkLength(d, 2L * eWidth * n + 1, "OT corrections D and the nonce");
      mine = new long[2 * eWidth * n];
      LabelOt.receiverLabels(ots, bits, 0, eWidth * n, d, 0, mine, 0);
      nonce = d[d.length - 1];
    }

    /** Transfer phase: receives every garbled chunk. */
    public void receive() {
      for (int first = 0; first < n; first += cap) {
        int m = Math.min(cap, n - first);
        long[] msg = party.link().receiveLongs(TAG_CHUNK);
        SharedGc.checkLength(
            msg,
            4L * c.andCount() * m + 2L * eOff * m + (long) m * c.outputBits(),
            "garbled chunk");
        msgs.add(msg);
      }
    }

    /**
     * Evaluate phase (local): outputs of every instance, {@code [k]} = all outputs concatenated,
     * each output as {@code ⌈width/64⌉} LSB-first words.
     */
    public long[][] evaluate() {
      Preconditions.checkState(
          mine != null && msgs.size() == (n + cap - 1) / cap, "receive before evaluating");
      Evaluator ev = new Evaluator(c, cap, nonce);
      long[][] outputs = new long[n][];
      int chunk = 0;
      for (int first = 0; first < n; first += cap, chunk++) {
        int m = Math.min(cap, n - first);
        long[] msg = msgs.get(chunk);
        int q = 4 * c.andCount() * m;
        for (int w = 0; w < eOff; w++) {
          long[] lw = ev.inputLabels(w);
          for (int k = 0; k < m; k++) {
            lw[2 * k] = msg[q++];
            lw[2 * k + 1] = msg[q++];
          }
        }
        for (int j = 0; j < eWidth; j++) {
          long[] lw = ev.inputLabels(eOff + j);
          for (int k = 0; k < m; k++) {
            int t = (first + k) * eWidth + j;
            lw[2 * k] = mine[2 * t];
            lw[2 * k + 1] = mine[2 * t + 1];
          }
        }
        ev.evaluate(m, first, msg, 0);
        for (int k = 0; k < m; k++) {
          long[] out = new long[outputWords(c)];
          int bit = 0;
          int word = 0;
          for (int o = 0; o < c.outputCount(); o++) {
            for (int j = 0; j < c.outputWidth(o); j++, bit++) {
              long b = ev.outputLsb(bit, k) ^ msg[q + bit * m + k];
              out[word + (j >>> 6)] |= b << (j & 63);
            }
            word += (c.outputWidth(o) + 63) >>> 6;
          }
          outputs[first + k] = out;
        }
      }
      msgs.clear();
      return outputs;
    }

    /** All phases. */
    public long[][] run() {
      transferLabels();
      receive();
      return evaluate();
    }
  }

  /** Words of one instance's outputs as {@link EvaluatorSide#evaluate} returns them. */
  public static int outputWords(Circuit c) {
    int words = 0;
    for (int o = 0; o < c.outputCount(); o++) {
      words += (c.outputWidth(o) + 63) >>> 6;
    }
    return words;
  }
}
