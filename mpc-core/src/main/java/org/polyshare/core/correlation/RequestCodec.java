package org.polyshare.core.correlation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.polyshare.core.correlation.CorrelationRequest.ExactTruncation;
import org.polyshare.core.correlation.CorrelationRequest.FixedMask;
import org.polyshare.core.correlation.CorrelationRequest.FssRelu;
import org.polyshare.core.correlation.CorrelationRequest.FusedPower;
import org.polyshare.core.correlation.CorrelationRequest.RandomOt;
import org.polyshare.core.correlation.CorrelationRequest.Squares;
import org.polyshare.core.correlation.CorrelationRequest.Triples;
import org.polyshare.core.correlation.CorrelationRequest.Truncation;
import org.polyshare.core.correlation.CorrelationRequest.WeightMask;
import org.polyshare.core.kernel.BilinearMap;

/**
 * The wire codes of the {@link CorrelationRequest} kinds and their field layouts, one row a kind:
 * encoding and decoding of a kind stand side by side, and a code is written once. A decoder returns
 * null where the fields have the wrong count; the records' constructors check the values.
 */
final class RequestCodec {
  private RequestCodec() {}

  /** One kind: its code, its fields after the code, and how to rebuild it from them. */
  private record Row<R extends CorrelationRequest>(
      int code, Class<R> type, Function<R, long[]> fields, Function<int[], R> decoder) {
    long[] encode(CorrelationRequest r) {
      long[] f = fields.apply(type.cast(r));
      long[] out = new long[1 + f.length];
      out[0] = code;
      System.arraycopy(f, 0, out, 1, f.length);
      return out;
    }
  }

  private static final List<Row<?>> ROWS =
      List.of(
          new Row<>(
              1, Triples.class, r -> r.map().encode(), f -> new Triples(BilinearMap.decode(f, 0))),
          new Row<>(
              2, Squares.class, r -> longs(r.n()), f -> f.length == 1 ? new Squares(f[0]) : null),
          new Row<>(
              3,
              Truncation.class,
              r -> longs(r.n(), r.fracBits()),
              f -> f.length == 2 ? new Truncation(f[0], f[1]) : null),
          new Row<>(
              6,
              WeightMask.class,
              r -> longs(r.maskId(), r.numel()),
              f -> f.length == 2 ? new WeightMask(f[0], f[1]) : null),
          new Row<>(
              7,
              FixedMask.class,
              r -> concat(longs(r.maskId(), r.ownerHeld() ? 1 : 0), r.map().encode()),
              f ->
                  f.length >= 2 && (f[1] == 0 || f[1] == 1)
                      ? new FixedMask(f[0], BilinearMap.decode(f, 2), f[1] == 1)
                      : null),
          new Row<>(
              9, RandomOt.class, r -> longs(r.n()), f -> f.length == 1 ? new RandomOt(f[0]) : null),
          new Row<>(
              10,
              ExactTruncation.class,
              r -> longs(r.n(), r.fracBits()),
              f -> f.length == 2 ? new ExactTruncation(f[0], f[1]) : null),
          new Row<>(
              11,
              FssRelu.class,
              r -> longs(r.n(), r.bits(), r.shift()),
              f -> f.length == 3 ? new FssRelu(f[0], f[1], f[2]) : null),
          new Row<>(
              12,
              FusedPower.class,
              r -> longs(r.n(), r.fracBits(), r.degree(), r.exact() ? 1 : 0),
              f ->
                  f.length == 4 && (f[3] == 0 || f[3] == 1)
                      ? new FusedPower(f[0], f[1], f[2], f[3] == 1)
                      : null));

  private static final Map<Class<?>, Row<?>> BY_TYPE = new HashMap<>();
  private static final Map<Integer, Row<?>> BY_CODE = new HashMap<>();

  static {
    for (Row<?> row : ROWS) {
      BY_TYPE.put(row.type(), row);
      BY_CODE.put(row.code(), row);
    }
  }

  static int kind(CorrelationRequest r) {
    return row(r).code();
  }

  static long[] encode(CorrelationRequest r) {
    return row(r).encode(r);
  }

  static CorrelationRequest decode(long[] e) {
    if (e.length == 0) {
      throw new IllegalArgumentException("empty correlation request encoding");
    }
    int kind = (int) e[0];
    int[] f = new int[e.length - 1];
    for (int i = 1; i < e.length; i++) {
      if (e[i] < Integer.MIN_VALUE || e[i] > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "correlation request field out of int range: " + Arrays.toString(e));
      }
      f[i - 1] = (int) e[i];
    }
    Row<?> row = BY_CODE.get(kind);
    if (row == null) {
      throw new IllegalArgumentException("unknown correlation request kind " + kind);
    }
    CorrelationRequest r = row.decoder().apply(f);
    if (r == null) {
      throw new IllegalArgumentException(
          "correlation request of kind " + kind + " has the wrong number of fields: " + f.length);
    }
    return r;
  }

  private static Row<?> row(CorrelationRequest r) {
    Row<?> row = BY_TYPE.get(r.getClass());
    if (row == null) {
      throw new IllegalStateException("no wire code for " + r.getClass().getName());
    }
    return row;
  }

  private static long[] longs(long... fields) {
    return fields;
  }

  private static long[] concat(long[] head, long[] tail) {
    long[] out = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, out, head.length, tail.length);
    return out;
  }
}
