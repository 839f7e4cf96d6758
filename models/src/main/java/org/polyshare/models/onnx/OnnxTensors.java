package org.polyshare.models.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.polyshare.models.onnx.proto.OnnxProto.TensorProto;

/** Conversions between ONNX TensorProto (row-major, little-endian raw data) and double[]. */
final class OnnxTensors {
  private OnnxTensors() {}

  static TensorProto floats(String name, double[] values, long... dims) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      buf.putFloat((float) v);
    }
    return raw(name, TensorProto.DataType.FLOAT_VALUE, buf, dims);
  }

  static TensorProto int64s(String name, long[] values, long... dims) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      buf.putLong(v);
    }
    return raw(name, TensorProto.DataType.INT64_VALUE, buf, dims);
  }

  /** A tensor of {@code dataType} whose raw data is what was put into {@code buf}. */
  private static TensorProto raw(String name, int dataType, ByteBuffer buf, long[] dims) {
    buf.flip();
    TensorProto.Builder b =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(dataType)
            .setRawData(ByteString.copyFrom(buf));
    for (long d : dims) {
      b.addDims(d);
    }
    return b.build();
  }

  static long numel(TensorProto t) {
    long n = 1;
    for (long d : t.getDimsList()) {
      if (d < 0) {
        throw new OnnxFormatException("tensor '" + t.getName() + "' has a negative dimension");
      }
      n *= d;
    }
    return n;
  }

  /** The values of a numeric tensor as doubles, whichever field holds them. */
  static double[] toDoubles(TensorProto t) {
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      throw new OnnxFormatException(
          "tensor '"
              + t.getName()
              + "' keeps its data in an external file; save the model with"
              + " the weights embedded");
    }
    long n = numel(t);
    if (n > Integer.MAX_VALUE - 8) {
      throw new OnnxFormatException("tensor '" + t.getName() + "' is too large");
    }
    int count = (int) n;
    double[] out = new double[count];
    int type = t.getDataType();
    ByteBuffer raw =
        t.hasRawData()
            ? t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN)
            : null;
    int width =
        switch (type) {
          case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.INT32_VALUE -> 4;
          case TensorProto.DataType.DOUBLE_VALUE, TensorProto.DataType.INT64_VALUE -> 8;
          default ->
              throw new OnnxFormatException(
                  "tensor '"
                      + t.getName()
                      + "' has data type "
                      + typeName(type)
                      + "; only FLOAT, DOUBLE, INT32 and INT64 are supported");
        };
    if (raw != null) {
      if (raw.remaining() != (long) count * width) {
        throw new OnnxFormatException(
            "tensor '"
                + t.getName()
                + "' has "
                + raw.remaining()
                + " bytes of raw data, expected "
                + (long) count * width);
      }
      for (int i = 0; i < count; i++) {
        out[i] =
            switch (type) {
              case TensorProto.DataType.FLOAT_VALUE -> raw.getFloat();
              case TensorProto.DataType.INT32_VALUE -> raw.getInt();
              case TensorProto.DataType.DOUBLE_VALUE -> raw.getDouble();
              default -> raw.getLong();
            };
      }
      return out;
    }
    int have =
        switch (type) {
          case TensorProto.DataType.FLOAT_VALUE -> t.getFloatDataCount();
          case TensorProto.DataType.INT32_VALUE -> t.getInt32DataCount();
          case TensorProto.DataType.DOUBLE_VALUE -> t.getDoubleDataCount();
          default -> t.getInt64DataCount();
        };
    if (have != count) {
      throw new OnnxFormatException(
          "tensor '" + t.getName() + "' holds " + have + " values but its shape needs " + count);
    }
    for (int i = 0; i < count; i++) {
      out[i] =
          switch (type) {
            case TensorProto.DataType.FLOAT_VALUE -> t.getFloatData(i);
            case TensorProto.DataType.INT32_VALUE -> t.getInt32Data(i);
            case TensorProto.DataType.DOUBLE_VALUE -> t.getDoubleData(i);
            default -> t.getInt64Data(i);
          };
    }
    return out;
  }

  static String typeName(int type) {
    TensorProto.DataType dt = TensorProto.DataType.forNumber(type);
    return dt == null ? "#" + type : dt.name();
  }
}
