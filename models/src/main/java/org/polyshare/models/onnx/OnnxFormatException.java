package org.polyshare.models.onnx;

/** An ONNX file that cannot be read or that uses something PolyShare does not support. */
public final class OnnxFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OnnxFormatException(String message) {
    super(message);
  }

  public OnnxFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
