package org.polyshare.core.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.polyshare.core.correlation.CorrelationRequest;

/**
 * The square-and-multiply schedule of {@code b^d}, {@code d ≥ 1}, written once for every party that
 * needs it: the secure power ({@link Activations#power}), the correlations it draws ({@link
 * #requests}), and the plaintext int64 reference ({@link #ring}).
 *
 * <p>Over the bits of {@code d} from the lowest: a set bit takes the current base into the result
 * (the first one for free, later ones by a product), and between bits the base is squared. Every
 * product is truncated by {@code f} bits. So {@code d = 2} is one square, {@code d = 3} a square
 * and a product, {@code d = 8} three squares; in general {@code ⌊log2 d⌋} squares and {@code
 * popcount(d) − 1} products.
 */
public final class PowerChain {
  /** One step of the schedule. */
  public enum Step {
    /** result = base (the lowest set bit; no product). */
    TAKE,
    /** result = result · base, truncated. */
    MULTIPLY,
    /** base = base², truncated. */
    SQUARE
  }

  /** The two products a party evaluates the schedule with (each truncating its result). */
  public interface Products {
    long[] multiply(long[] a, long[] b);

    long[] square(long[] a);
  }

  private final int degree;
  private final List<Step> steps;

  private PowerChain(int degree, List<Step> steps) {
    this.degree = degree;
    this.steps = steps;
  }

  public static PowerChain of(int degree) {
    if (degree < 1) {
      throw new IllegalArgumentException("polynomial degree must be >= 1, got " + degree);
    }
    List<Step> steps = new ArrayList<>();
    boolean taken = false;
    for (int e = degree; ; ) {
      if ((e & 1) != 0) {
        steps.add(taken ? Step.MULTIPLY : Step.TAKE);
        taken = true;
      }
      e >>>= 1;
      if (e == 0) {
        return new PowerChain(degree, Collections.unmodifiableList(steps));
      }
      steps.add(Step.SQUARE);
    }
  }

  public int degree() {
    return degree;
  }

  public List<Step> steps() {
    return steps;
  }

  /**
   * The correlations one evaluation on {@code n} values draws, in the order it draws them: per
   * square a square pair batch, per product an elementwise triple batch, each followed by its
   * truncation's requests.
   */
  public List<CorrelationRequest> requests(int n, int fracBits, TruncationMode mode) {
    List<CorrelationRequest> out = new ArrayList<>();
    for (Step s : steps) {
      if (s == Step.TAKE) {
        continue;
      }
      out.add(
          s == Step.SQUARE ? new CorrelationRequest.Squares(n) : new CorrelationRequest.Triples(n));
      out.addAll(Truncation.requests(mode, n, fracBits));
    }
    return out;
  }

  /** {@code base^d} with the given products; {@code base} is not modified. */
  public long[] apply(long[] base, Products products) {
    long[] result = null;
    long[] b = base;
    for (Step s : steps) {
      switch (s) {
        case TAKE -> result = b.clone();
        case MULTIPLY -> result = products.multiply(result, b);
        case SQUARE -> b = products.square(b);
      }
    }
    return result;
  }

  /** The secure power on shares (see {@link Beaver#mul}, {@link Beaver#square}). */
  public long[] secure(Party p, long[] base) {
    return apply(
        base,
        new Products() {
          @Override
          public long[] multiply(long[] a, long[] b) {
            return Beaver.mul(p, a, b);
          }

          @Override
          public long[] square(long[] a) {
            return Beaver.square(p, a);
          }
        });
  }

  /** The plaintext int64 reference: each product an exact arithmetic shift by {@code f}. */
  public long[] ring(long[] base, int f) {
    return apply(
        base,
        new Products() {
          @Override
          public long[] multiply(long[] a, long[] b) {
            long[] out = new long[a.length];
            for (int i = 0; i < out.length; i++) {
              out[i] = a[i] * b[i] >> f;
            }
            return out;
          }

          @Override
          public long[] square(long[] a) {
            long[] out = new long[a.length];
            for (int i = 0; i < out.length; i++) {
              out[i] = a[i] * a[i] >> f;
            }
            return out;
          }
        });
  }

  @Override
  public String toString() {
    return "x^" + degree + " " + steps;
  }
}
