package org.polyshare.core.net;

import org.polyshare.core.link.LinkException;

/**
 * The peer ended the link on purpose and said why (an error frame); the message carries its reason.
 */
public final class PeerAbortedException extends LinkException {
  private static final long serialVersionUID = 1L;

  public PeerAbortedException(String message) {
    super(message);
  }
}
