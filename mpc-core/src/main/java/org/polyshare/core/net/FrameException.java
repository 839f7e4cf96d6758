package org.polyshare.core.net;

import org.polyshare.core.link.LinkException;

/** A frame broke the wire format: oversized, unknown kind, bad length, reserved tag. */
public final class FrameException extends LinkException {
  private static final long serialVersionUID = 1L;

  public FrameException(String message) {
    super(message);
  }
}
