package org.polyshare.core.ops;

import org.slf4j.MDC;

/**
 * The session a thread works for, in the logging MDC under {@link LogSetup#SESSION}, so every line
 * it logs names the session. Only public ids go here: the id both parties and the dealer already
 * print; never a secret.
 */
public final class SessionMdc implements AutoCloseable {
  private final String previous;

  private SessionMdc(String session) {
    previous = MDC.get(LogSetup.SESSION);
    MDC.put(LogSetup.SESSION, session);
  }

  /** Sets {@code session} until {@link #close}, which restores what the thread had before. */
  public static SessionMdc of(String session) {
    return new SessionMdc(session);
  }

  /** Runs {@code body} with {@code session} set. */
  public static void run(String session, Runnable body) {
    try (SessionMdc ignored = of(session)) {
      body.run();
    }
  }

  @Override
  public void close() {
    if (previous == null) {
      MDC.remove(LogSetup.SESSION);
    } else {
      MDC.put(LogSetup.SESSION, previous);
    }
  }
}
