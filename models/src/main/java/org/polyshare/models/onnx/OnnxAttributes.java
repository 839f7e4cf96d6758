package org.polyshare.models.onnx;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.polyshare.models.onnx.proto.OnnxProto.AttributeProto;
import org.polyshare.models.onnx.proto.OnnxProto.NodeProto;

/**
 * The attributes the importer implements, per op. Any other attribute on a node is refused with an
 * error naming node, op, attribute and value, so an attribute a newer opset adds can never be
 * silently ignored; an implemented attribute whose value is not supported is refused by the op's
 * own code, also naming it. The test walks the ONNX spec's attribute list (opsets 7–18) against
 * this table.
 */
final class OnnxAttributes {
  private OnnxAttributes() {}

  static final Map<String, Set<String>> IMPLEMENTED =
      Map.ofEntries(
          Map.entry(
              "Conv", Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides")),
          Map.entry("Gemm", Set.of("alpha", "beta", "transA", "transB")),
          // momentum only steers the running-statistics update of training: no effect in inference
          Map.entry(
              "BatchNormalization", Set.of("epsilon", "momentum", "spatial", "training_mode")),
          Map.entry(
              "AveragePool",
              Set.of(
                  "auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides")),
          // storage_order only orders the optional Indices output, which is refused
          Map.entry(
              "MaxPool",
              Set.of(
                  "auto_pad",
                  "ceil_mode",
                  "dilations",
                  "kernel_shape",
                  "pads",
                  "storage_order",
                  "strides")),
          Map.entry("Flatten", Set.of("axis")),
          Map.entry("Reshape", Set.of("allowzero")),
          // inference Dropout is the identity whatever its ratio and seed
          Map.entry("Dropout", Set.of("ratio", "seed")),
          Map.entry(
              "Constant",
              Set.of("value", "value_float", "value_floats", "value_int", "value_ints")),
          Map.entry("Pad", Set.of("mode", "pads", "value")),
          Map.entry("Softmax", Set.of("axis")),
          Map.entry("LogSoftmax", Set.of("axis")),
          Map.entry("Shape", Set.of("start", "end")),
          Map.entry("Gather", Set.of("axis")),
          Map.entry("Unsqueeze", Set.of("axes")),
          Map.entry("Squeeze", Set.of("axes")),
          Map.entry("Concat", Set.of("axis")),
          Map.entry("Cast", Set.of("to")),
          Map.entry("Transpose", Set.of("perm")),
          Map.entry("Slice", Set.of("starts", "ends", "axes")),
          Map.entry("ConstantOfShape", Set.of("value")));

  /** Refuses the first attribute of {@code n} that its op does not implement. */
  static void check(NodeProto n, String describedNode) {
    Set<String> ok = IMPLEMENTED.getOrDefault(n.getOpType(), Set.of());
    for (AttributeProto a : n.getAttributeList()) {
      if (!ok.contains(a.getName())) {
        throw new OnnxFormatException(
            describedNode
                + ": attribute '"
                + a.getName()
                + "' = "
                + value(a)
                + " is not supported"
                + (ok.isEmpty()
                    ? " (the op takes no attributes here)"
                    : " (implemented: "
                        + ok.stream().sorted().collect(Collectors.joining(", "))
                        + ")"));
      }
    }
  }

  /** A short rendering of an attribute's value for error messages. */
  static String value(AttributeProto a) {
    return switch (a.getType()) {
      case INT -> Long.toString(a.getI());
      case FLOAT -> Float.toString(a.getF());
      case STRING -> "'" + a.getS().toStringUtf8() + "'";
      case INTS -> a.getIntsList().toString();
      case FLOATS -> a.getFloatsList().toString();
      case STRINGS ->
          a.getStringsList().stream()
              .map(s -> s.toStringUtf8())
              .collect(Collectors.toList())
              .toString();
      case TENSOR -> "a tensor";
      default -> "(" + a.getType().name().toLowerCase() + ")";
    };
  }

  /** For messages: "attribute 'x' = v". */
  static String named(AttributeProto a) {
    return "attribute '" + a.getName() + "' = " + value(a);
  }

  /** The attribute {@code name} of {@code n}, or null when the node does not set it. */
  static AttributeProto attr(NodeProto n, String name) {
    for (AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a;
      }
    }
    return null;
  }

  /** The integer attribute {@code name} of {@code n}, or {@code dflt} when it is not set. */
  static long intAttr(NodeProto n, String name, long dflt) {
    AttributeProto a = attr(n, name);
    return a == null ? dflt : a.getI();
  }

  static List<String> names(NodeProto n) {
    return n.getAttributeList().stream().map(AttributeProto::getName).toList();
  }
}
