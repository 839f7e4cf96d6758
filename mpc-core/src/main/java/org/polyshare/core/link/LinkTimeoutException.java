package org.polyshare.core.link;

/** A blocking receive waited its whole timeout without a message. */
public final class LinkTimeoutException extends LinkException {
  private static final long serialVersionUID = 1L;

  public LinkTimeoutException(String message) {
    super(message);
  }
}
