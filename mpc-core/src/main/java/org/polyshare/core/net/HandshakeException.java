package org.polyshare.core.net;

import org.polyshare.core.link.LinkException;

/**
 * The two ends refused each other before any protocol message: TLS failure, certificate from
 * another CA, wrong role, or a protocol version, session id or plan mismatch. The message names
 * both values.
 */
public final class HandshakeException extends LinkException {
  private static final long serialVersionUID = 1L;

  public HandshakeException(String message) {
    super(message);
  }

  public HandshakeException(String message, Throwable cause) {
    super(message, cause);
  }
}
