package org.polyshare.core.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.link.RecordingLink;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.ring.FixedPoint;

/**
 * What party 1 (the evaluator) receives in the GC ReLU, examined as a transcript: it must not
 * depend on party 0's circuit input, and its random parts must be uniform.
 *
 * <p>Each statistic is a chi-square over bytes: a 64- or 128-bit value is cut into 8 or 16 bytes,
 * each byte position is a 256-category histogram, and the statistic sums {@code (obs − E)²/E} over
 * categories and positions (255 degrees of freedom per position; bytes of a uniform value are
 * independent uniform bytes). The thresholds are the chi-square quantiles with a false-alarm
 * probability of 10⁻⁹ each (scipy {@code chi2.isf(1e-9, df)}), so the class fails a correct
 * implementation about once in 3·10⁸ runs.
 */
class GcReluTranscriptTest {
  private static final int SHIFT = 16;
  private static final int N = 2048; // ReLUs per session: 8 chunks of 256
  private static final int SESSIONS = 2; // per fixed input

  /** Party 0's circuit input a, fixed in every instance; the two differ in every bit. */
  private static final long[] INPUTS = {0x0123_4567_89ab_cdefL, ~0x0123_4567_89ab_cdefL};

  private static final double CHI2_4080 = 4645.3; // P(chi2(4080) > 4645.3) = 1e-9
  private static final double CHI2_2040 = 2446.7; // P(chi2(2040) > 2446.7) = 1e-9

  /** views[v]: the sessions in which party 0's input is INPUTS[v]. */
  private static final List<List<RecordingLink>> VIEWS = new ArrayList<>();

  @BeforeAll
  static void recordSessions() {
    SplittableRandom rnd = new SplittableRandom(3);
    for (long a : INPUTS) {
      List<RecordingLink> sessions = new ArrayList<>();
      for (int s = 0; s < SESSIONS; s++) {
        sessions.add(evaluatorView(a, rnd.split()));
      }
      VIEWS.add(sessions);
    }
  }

  /**
   * One session of N ReLUs in which party 0's circuit input is {@code a} in every instance: party 1
   * picks its online share {@code x1 = a − x0 + s} after the offline phase (s is its own offline
   * randomness), so that {@code a = x0 + x1 − s}. Returns party 1's recording link.
   */
  private static RecordingLink evaluatorView(long a, SplittableRandom rnd) {
    long[] x0 = new long[N];
    for (int g = 0; g < N; g++) {
      x0[g] = rnd.nextLong();
    }
    InProcessDealer dealer = new InProcessDealer();
    RecordingLink[] rec = new RecordingLink[1];
    long[][] s = new long[1][];
    TwoParties.Result<long[]> r =
        TwoParties.run(
            link -> {
              Party p = new Party(0, link, dealer.source(0), FixedPoint.defaults());
              return GcRelu.online(p, GcRelu.prepare(p, N, SHIFT), x0);
            },
            link -> {
              rec[0] = new RecordingLink(link);
              Party p = new Party(1, rec[0], dealer.source(1), FixedPoint.defaults());
              GcRelu.Offline off = GcRelu.prepare(p, N, SHIFT);
              s[0] = ((EvaluatorMaterial) off.material).s();
              long[] x1 = new long[N];
              for (int g = 0; g < N; g++) {
                x1[g] = a - x0[g] + s[0][g];
              }
              return GcRelu.online(p, off, x1);
            });
    // a real session: the shares add up to ReLU(x) >> SHIFT for x = a + s
    for (int g = 0; g < N; g++) {
      assertEquals(
          Math.max(a + s[0][g], 0) >> SHIFT, r.party0()[g] + r.party1()[g], "instance " + g);
    }
    return rec[0];
  }

  private static SharedGc.Tags tags() {
    return GcRelu.function(SHIFT).tags;
  }

  /** Adds the 8 bytes of {@code v} to {@code counts[8·256]} (byte position, value). */
  private static void countBytes(long v, long[] counts, int firstPosition) {
    for (int b = 0; b < 8; b++) {
      counts[(firstPosition + b) * 256 + (int) ((v >>> (8 * b)) & 0xff)]++;
    }
  }

  /** Chi-square of byte histograms against uniform: {@code total} samples per byte position. */
  private static double chi2(long[] counts, long total) {
    double e = total / 256.0;
    double x = 0;
    for (long c : counts) {
      x += (c - e) * (c - e) / e;
    }
    return x;
  }

  /**
   * Fails with {@code what} unless the chi-square {@code stat} over {@code df} is below {@code
   * limit}.
   */
  private static void assertUniform(double stat, double limit, int df, String what) {
    assertTrue(
        stat < limit,
        what + ": chi-square " + stat + " over " + df + " df (threshold " + limit + ")");
  }

  /**
   * Online, party 0 sends the active label {@code Z ⊕ a_j·Δ} of each bit of its input a; its
   * point-and-permute (colour) bit, the label's lowest bit, is {@code lsb(Z) ⊕ a_j} since lsb(Δ) =
   * 1. With a fresh uniform Z it is a uniform bit whatever a is. The 64 colours of an instance, as
   * a 64-bit word, for each of the two fixed inputs: 2 inputs × 8 bytes × 255 df.
   */
  @Test
  void garblerInputColoursSeenByTheEvaluatorDoNotDependOnTheInput() {
    double stat = 0;
    for (List<RecordingLink> sessions : VIEWS) {
      long[] counts = new long[8 * 256];
      long total = 0;
      for (RecordingLink rec : sessions) {
        List<long[]> msgs = rec.messages(tags().labels());
        assertEquals(1, msgs.size(), "one online label message per session");
        long[] labels = msgs.get(0);
        assertEquals(2L * SharedGc.BITS * N, labels.length);
        for (int g = 0; g < N; g++) {
          long colours = 0;
          for (int j = 0; j < SharedGc.BITS; j++) {
            colours |= (labels[(g * SharedGc.BITS + j) * 2] & 1L) << j;
          }
          countBytes(colours, counts, 0);
        }
        total += N;
      }
      stat += chi2(counts, total);
    }
    assertUniform(
        stat,
        CHI2_4080,
        4080,
        "colour bits of party 0's input labels depend on its input or are not uniform");
  }

  /**
   * Offline, party 0 sends per s-bit the OT correction {@code D = m0 ⊕ m1 ⊕ Δ} ({@link LabelOt}):
   * uniform, as {@code m0 ⊕ m1} of a fresh random OT is. A garbler that sent Δ itself, or a biased
   * D, gives constant or skewed bytes. 16 bytes × 255 df.
   */
  @Test
  void otCorrectionsDAreUniform() {
    long[] counts = new long[16 * 256];
    long total = 0;
    int tableLongs = 4 * GcRelu.andGates(SHIFT);
    int perInstance = tableLongs + 2 * SharedGc.BITS + 1; // tables ‖ D ‖ decoding word
    for (List<RecordingLink> sessions : VIEWS) {
      for (RecordingLink rec : sessions) {
        for (long[] msg : rec.messages(tags().tables())) {
          int m = msg.length / perInstance;
          assertEquals((long) m * perInstance, msg.length, "chunk layout");
          for (int i = 0; i < SharedGc.BITS * m; i++) {
            countBytes(msg[tableLongs * m + 2 * i], counts, 0);
            countBytes(msg[tableLongs * m + 2 * i + 1], counts, 8);
          }
          total += (long) SharedGc.BITS * m;
        }
      }
    }
    assertEquals((long) INPUTS.length * SESSIONS * N * SharedGc.BITS, total);
    double stat = chi2(counts, total);
    assertUniform(stat, CHI2_4080, 4080, "OT corrections D are not uniform");
  }

  /**
   * The decoding word of each instance (the lowest bits of the 64 output zero-labels) is uniform: a
   * garbler whose output labels carry a fixed colour would reveal the masked output's bits through
   * the decoding alone. 8 bytes × 255 df.
   */
  @Test
  void decodingWordsAreUniform() {
    long[] counts = new long[8 * 256];
    long total = 0;
    int perInstance = 4 * GcRelu.andGates(SHIFT) + 2 * SharedGc.BITS + 1;
    for (List<RecordingLink> sessions : VIEWS) {
      for (RecordingLink rec : sessions) {
        for (long[] msg : rec.messages(tags().tables())) {
          int m = msg.length / perInstance;
          for (int q = 0; q < m; q++) {
            countBytes(msg[(perInstance - 1) * m + q], counts, 0);
          }
          total += m;
        }
      }
    }
    double stat = chi2(counts, total);
    assertUniform(stat, CHI2_2040, 2040, "decoding words are not uniform");
  }
}
