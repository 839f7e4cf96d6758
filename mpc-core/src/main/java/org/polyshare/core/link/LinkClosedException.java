package org.polyshare.core.link;

/** The link was closed, locally or by the peer, or failed underneath. */
public final class LinkClosedException extends LinkException {
  private static final long serialVersionUID = 1L;

  public LinkClosedException(String message) {
    super(message);
  }

  public LinkClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
