package org.polyshare.models.onnx;

import static org.polyshare.models.onnx.OnnxAttributes.attr;
import static org.polyshare.models.onnx.OnnxAttributes.intAttr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.polyshare.models.onnx.proto.OnnxProto.AttributeProto;
import org.polyshare.models.onnx.proto.OnnxProto.NodeProto;

/**
 * Evaluates static subgraphs at import time: the shape arithmetic torch emits for {@code
 * x.view(x.size(0), -1)} ({@code Shape → Gather → Unsqueeze → Concat → Reshape}), and
 * Cast/Transpose/Reshape/elementwise ops whose inputs are all constants. A {@code Shape} of an
 * activation is static too: the per-sample shape is fixed and the batch axis is either a fixed size
 * or the symbol {@link #BATCH}, which survives Gather/Unsqueeze/Concat and is recognised by the
 * Reshape that consumes it.
 */
final class ConstantFolder {
  /** The symbolic batch size as a value inside folded shape tensors (exact in a double). */
  static final double BATCH = -(double) (1L << 40);

  /** Ops this class folds when every input is static. */
  static final java.util.Set<String> OPS =
      java.util.Set.of(
          "Shape",
          "Gather",
          "Unsqueeze",
          "Squeeze",
          "Concat",
          "Cast",
          "Transpose",
          "Reshape",
          "Add",
          "Sub",
          "Mul",
          "Div",
          "Range",
          "ConstantOfShape",
          "Identity",
          "Neg",
          "Slice");

  /** A dense constant, row-major. */
  record Tensor(long[] dims, double[] values) {
    Tensor {
      long n = 1;
      for (long d : dims) {
        n *= d;
      }
      if (n != values.length) {
        throw new IllegalArgumentException(
            "tensor of shape " + Arrays.toString(dims) + " has " + values.length + " values");
      }
    }

    static Tensor scalar(double v) {
      return new Tensor(new long[0], new double[] {v});
    }

    static Tensor vector(double... v) {
      return new Tensor(new long[] {v.length}, v);
    }

    int rank() {
      return dims.length;
    }
  }

  /** Reads one attribute-or-input list of ints (opset 13 moved axes from attribute to input). */
  interface Inputs {
    Tensor get(int i); // null when absent or not constant
  }

  private ConstantFolder() {}

  /**
   * Folds node {@code n} given its static inputs; {@code activationShape} is the full (with batch)
   * shape of input 0 when that is an activation and the op is Shape, else null.
   */
  static Tensor fold(NodeProto n, Inputs in, double[] activationShape) {
    String op = n.getOpType();
    switch (op) {
      case "Shape":
        {
          double[] s = activationShape != null ? activationShape : dimsOf(in.get(0));
          int r = s.length;
          int start = (int) normAxis(intAttr(n, "start", 0), r, true);
          int end = (int) normAxis(intAttr(n, "end", r), r, true);
          return Tensor.vector(Arrays.copyOfRange(s, start, Math.max(start, end)));
        }
      case "Identity":
        return in.get(0);
      case "Cast":
        return cast(n, in.get(0));
      case "Neg":
        return map(in.get(0), v -> -v);
      case "Add", "Sub", "Mul", "Div":
        return elementwise(op, in.get(0), in.get(1));
      case "Gather":
        return gather(in.get(0), in.get(1), intAttr(n, "axis", 0));
      case "Unsqueeze":
        return unsqueeze(in.get(0), axes(n, in));
      case "Squeeze":
        return squeeze(in.get(0), axes(n, in));
      case "Concat":
        return concat(n, in);
      case "Transpose":
        return transpose(in.get(0), ints(n, "perm"));
      case "Reshape":
        return new Tensor(
            reshapeDims(in.get(0), in.get(1).values(), intAttr(n, "allowzero", 0)),
            in.get(0).values());
      case "Slice":
        return slice(n, in);
      case "Range":
        return range(in.get(0).values()[0], in.get(1).values()[0], in.get(2).values()[0]);
      case "ConstantOfShape":
        {
          double[] shape = in.get(0).values();
          long[] dims = new long[shape.length];
          long count = 1;
          for (int i = 0; i < dims.length; i++) {
            dims[i] = (long) shape[i];
            count *= dims[i];
          }
          AttributeProto v = attr(n, "value");
          double fill = v == null ? 0 : OnnxTensors.toDoubles(v.getT())[0];
          double[] vals = new double[Math.toIntExact(count)];
          Arrays.fill(vals, fill);
          return new Tensor(dims, vals);
        }
      default:
        throw new IllegalStateException(op);
    }
  }

  private static double[] dimsOf(Tensor t) {
    double[] d = new double[t.rank()];
    for (int i = 0; i < d.length; i++) {
      d[i] = t.dims()[i];
    }
    return d;
  }

  private static Tensor cast(NodeProto n, Tensor t) {
    long to = intAttr(n, "to", -1);
    return switch ((int) to) {
      case 1, 11 -> t; // FLOAT, DOUBLE (values are kept as doubles)
      case 6, 7 -> map(t, v -> v == BATCH ? v : v < 0 ? Math.ceil(v) : Math.floor(v)); // INT32/64
      case 9 -> map(t, v -> v != 0 ? 1 : 0); // BOOL
      default ->
          throw new OnnxFormatException(
              "Cast of a constant to data type "
                  + OnnxTensors.typeName((int) to)
                  + " is not supported");
    };
  }

  private static Tensor map(Tensor t, java.util.function.DoubleUnaryOperator f) {
    double[] v = new double[t.values().length];
    for (int i = 0; i < v.length; i++) {
      v[i] = f.applyAsDouble(t.values()[i]);
    }
    return new Tensor(t.dims(), v);
  }

  /** Numpy broadcasting of two constants. */
  static Tensor elementwise(String op, Tensor a, Tensor b) {
    int r = Math.max(a.rank(), b.rank());
    long[] dims = new long[r];
    for (int i = 0; i < r; i++) {
      long da = dim(a, i - r + a.rank());
      long db = dim(b, i - r + b.rank());
      if (da != db && da != 1 && db != 1) {
        throw new OnnxFormatException(
            op
                + " of constants with shapes "
                + Arrays.toString(a.dims())
                + " and "
                + Arrays.toString(b.dims())
                + " does not broadcast");
      }
      dims[i] = Math.max(da, db);
    }
    int count = numel(dims);
    double[] out = new double[count];
    int[] idx = new int[r];
    for (int k = 0; k < count; k++) {
      double x = a.values()[offset(a, idx, r)];
      double y = b.values()[offset(b, idx, r)];
      if (x == BATCH || y == BATCH) {
        throw new OnnxFormatException(
            op
                + " on the symbolic batch size is not supported; export"
                + " with a fixed batch size or use x.flatten(1)");
      }
      out[k] =
          switch (op) {
            case "Add" -> x + y;
            case "Sub" -> x - y;
            case "Mul" -> x * y;
            default -> y == 0 ? Double.NaN : x / y;
          };
      for (int i = r - 1; i >= 0 && ++idx[i] == dims[i]; i--) {
        idx[i] = 0;
      }
    }
    return new Tensor(dims, out);
  }

  private static long dim(Tensor t, int i) {
    return i < 0 ? 1 : t.dims()[i];
  }

  private static int offset(Tensor t, int[] idx, int r) {
    int off = 0;
    for (int i = 0; i < t.rank(); i++) {
      long d = t.dims()[i];
      off = (int) (off * d + (d == 1 ? 0 : idx[i + r - t.rank()]));
    }
    return off;
  }

  private static Tensor gather(Tensor data, Tensor indices, long axisAttr) {
    int r = data.rank();
    int axis = (int) normAxis(axisAttr, r, false);
    long[] d = data.dims();
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= (int) d[i];
    }
    int inner = 1;
    for (int i = axis + 1; i < r; i++) {
      inner *= (int) d[i];
    }
    int len = (int) d[axis];
    double[] ix = indices.values();
    double[] out = new double[outer * ix.length * inner];
    int o = 0;
    for (int a = 0; a < outer; a++) {
      for (double iv : ix) {
        int k = (int) (iv < 0 ? iv + len : iv);
        if (k < 0 || k >= len) {
          throw new OnnxFormatException(
              "Gather index " + (long) iv + " is out of range for axis" + " length " + len);
        }
        System.arraycopy(data.values(), (a * len + k) * inner, out, o, inner);
        o += inner;
      }
    }
    long[] dims = new long[r - 1 + indices.rank()];
    System.arraycopy(d, 0, dims, 0, axis);
    System.arraycopy(indices.dims(), 0, dims, axis, indices.rank());
    System.arraycopy(d, axis + 1, dims, axis + indices.rank(), r - axis - 1);
    return new Tensor(dims, out);
  }

  /** The axes of Unsqueeze/Squeeze: the attribute (opset < 13) or the second input (opset 13+). */
  private static long[] axes(NodeProto n, Inputs in) {
    long[] a = ints(n, "axes");
    return a != null ? a : longs(n.getInputCount() > 1 ? in.get(1) : null);
  }

  private static Tensor unsqueeze(Tensor t, long[] axes) {
    if (axes == null) {
      throw new OnnxFormatException("Unsqueeze needs axes");
    }
    int r = t.rank() + axes.length;
    boolean[] isNew = new boolean[r];
    for (long a : axes) {
      isNew[(int) normAxis(a, r, false)] = true;
    }
    long[] dims = new long[r];
    for (int i = 0, j = 0; i < r; i++) {
      dims[i] = isNew[i] ? 1 : t.dims()[j++];
    }
    return new Tensor(dims, t.values());
  }

  private static Tensor squeeze(Tensor t, long[] axes) {
    List<Long> dims = new ArrayList<>();
    boolean[] drop = new boolean[t.rank()];
    if (axes == null) {
      for (int i = 0; i < drop.length; i++) {
        drop[i] = t.dims()[i] == 1;
      }
    } else {
      for (long a : axes) {
        drop[(int) normAxis(a, t.rank(), false)] = true;
      }
    }
    for (int i = 0; i < drop.length; i++) {
      if (!drop[i]) {
        dims.add(t.dims()[i]);
      }
    }
    return new Tensor(dims.stream().mapToLong(Long::longValue).toArray(), t.values());
  }

  private static Tensor concat(NodeProto n, Inputs in) {
    List<Tensor> ts = new ArrayList<>();
    for (int i = 0; i < n.getInputCount(); i++) {
      ts.add(in.get(i));
    }
    int r = ts.get(0).rank();
    int axis = (int) normAxis(intAttr(n, "axis", 0), r, false);
    long[] dims = ts.get(0).dims().clone();
    dims[axis] = 0;
    for (Tensor t : ts) {
      dims[axis] += t.dims()[axis];
    }
    int outer = 1;
    for (int i = 0; i < axis; i++) {
      outer *= (int) dims[i];
    }
    int total = numel(dims);
    double[] out = new double[total];
    int o = 0;
    for (int a = 0; a < outer; a++) {
      for (Tensor t : ts) {
        int chunk = t.values().length / outer;
        System.arraycopy(t.values(), a * chunk, out, o, chunk);
        o += chunk;
      }
    }
    return new Tensor(dims, out);
  }

  private static Tensor transpose(Tensor t, long[] perm) {
    int r = t.rank();
    if (perm == null) {
      perm = new long[r];
      for (int i = 0; i < r; i++) {
        perm[i] = r - 1 - i;
      }
    }
    long[] dims = new long[r];
    for (int i = 0; i < r; i++) {
      dims[i] = t.dims()[(int) perm[i]];
    }
    int[] inStride = new int[r];
    for (int i = r - 1, s = 1; i >= 0; i--) {
      inStride[i] = s;
      s *= (int) t.dims()[i];
    }
    double[] out = new double[t.values().length];
    int[] idx = new int[r];
    for (int k = 0; k < out.length; k++) {
      int src = 0;
      for (int i = 0; i < r; i++) {
        src += idx[i] * inStride[(int) perm[i]];
      }
      out[k] = t.values()[src];
      for (int i = r - 1; i >= 0 && ++idx[i] == dims[i]; i--) {
        idx[i] = 0;
      }
    }
    return new Tensor(dims, out);
  }

  static long[] reshapeDims(Tensor t, double[] target, long allowZero) {
    long[] dims = new long[target.length];
    long known = 1;
    int infer = -1;
    for (int i = 0; i < dims.length; i++) {
      long d = (long) target[i];
      if (d == 0 && allowZero == 0) {
        d = t.dims()[i];
      }
      if (d == -1) {
        infer = i;
      } else {
        known *= d;
      }
      dims[i] = d;
    }
    if (infer >= 0) {
      dims[infer] = known == 0 ? 0 : t.values().length / known;
    }
    return dims;
  }

  /**
   * Slice (opset 1–9: attributes starts/ends/axes; 10+: inputs starts, ends, axes, steps), as
   * torch's {@code F.pad} emits it to reverse its pad list ({@code steps = -1}). Per axis, with
   * negative starts/ends counted from the end: a positive step clamps start and end to [0, d], a
   * negative one start to [0, d − 1] and end to [−1, d − 1]; the axis then keeps ⌈(end − start) /
   * step⌉ elements (none if that is negative).
   */
  private static Tensor slice(NodeProto n, Inputs in) {
    Tensor data = in.get(0);
    long[] starts;
    long[] ends;
    long[] axes;
    long[] steps = null;
    if (attr(n, "starts") != null) {
      starts = ints(n, "starts");
      ends = ints(n, "ends");
      axes = ints(n, "axes");
    } else {
      starts = longs(in.get(1));
      ends = longs(in.get(2));
      axes = n.getInputCount() > 3 && !n.getInput(3).isEmpty() ? longs(in.get(3)) : null;
      steps = n.getInputCount() > 4 && !n.getInput(4).isEmpty() ? longs(in.get(4)) : null;
    }
    if (starts == null || ends == null || starts.length != ends.length) {
      throw new OnnxFormatException("Slice needs starts and ends of equal length");
    }
    int r = data.rank();
    long[] from = new long[r];
    long[] step = new long[r];
    long[] dims = data.dims().clone();
    Arrays.fill(step, 1);
    for (int i = 0; i < starts.length; i++) {
      int ax = (int) normAxis(axes == null ? i : axes[i], r, false);
      long d = data.dims()[ax];
      long st = steps == null ? 1 : steps[i];
      if (st == 0) {
        throw new OnnxFormatException("Slice step 0 on axis " + ax);
      }
      long b = starts[i] < 0 ? starts[i] + d : starts[i];
      long e = ends[i] < 0 ? ends[i] + d : ends[i];
      if (st > 0) {
        b = Math.max(0, Math.min(d, b));
        e = Math.max(0, Math.min(d, e));
      } else {
        b = Math.max(0, Math.min(d - 1, b));
        e = Math.max(-1, Math.min(d - 1, e));
      }
      long count = st > 0 ? (e - b + st - 1) / st : (b - e + (-st) - 1) / (-st);
      from[ax] = b;
      step[ax] = st;
      dims[ax] = Math.max(0, count);
    }
    int[] inStride = new int[r];
    for (int i = r - 1, s = 1; i >= 0; i--) {
      inStride[i] = s;
      s *= (int) data.dims()[i];
    }
    int total = numel(dims);
    double[] out = new double[total];
    int[] idx = new int[r];
    for (int k = 0; k < total; k++) {
      long src = 0;
      for (int i = 0; i < r; i++) {
        src += (from[i] + idx[i] * step[i]) * inStride[i];
      }
      out[k] = data.values()[(int) src];
      for (int i = r - 1; i >= 0 && ++idx[i] == dims[i]; i--) {
        idx[i] = 0;
      }
    }
    return new Tensor(dims, out);
  }

  /** Integer values of a constant (large int64 sentinels such as INT64_MAX saturate). */
  private static long[] longs(Tensor t) {
    if (t == null) {
      return null;
    }
    long[] r = new long[t.values().length];
    for (int i = 0; i < r.length; i++) {
      r[i] = (long) t.values()[i];
    }
    return r;
  }

  private static Tensor range(double start, double limit, double delta) {
    int n = (int) Math.max(Math.ceil((limit - start) / delta), 0);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = start + i * delta;
    }
    return Tensor.vector(v);
  }

  /** Number of elements of a shape (the folder's tensors are small: an int suffices). */
  private static int numel(long[] dims) {
    int n = 1;
    for (long d : dims) {
      n *= (int) d;
    }
    return n;
  }

  static long normAxis(long a, int rank, boolean clamp) {
    long r = a < 0 ? a + rank : a;
    if (clamp) {
      return Math.max(0, Math.min(rank, r));
    }
    if (r < 0 || r >= rank) {
      throw new OnnxFormatException("axis " + a + " is out of range for rank " + rank);
    }
    return r;
  }

  private static long[] ints(NodeProto n, String name) {
    AttributeProto a = attr(n, name);
    return a == null ? null : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
  }
}
