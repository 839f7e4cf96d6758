package org.polyshare.core.link;

/** A link failed: the peer vanished, a receive timed out, or a frame broke the protocol. */
public class LinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LinkException(String message) {
    super(message);
  }

  public LinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
