package org.polyshare.core.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every log event of this JVM while open, rendered as the processes render it: the text line (with
 * the full stack trace) and the JSON line. Attach with {@link #start}; {@link #close} detaches it
 * and restores the root level.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();
  private final Encoder<ILoggingEvent> text = LogSetup.text();
  private final Encoder<ILoggingEvent> json = LogSetup.json();
  private final ch.qos.logback.classic.Logger root;
  private final Level before;
  private final LoggerContextListener resetListener;

  private LogCapture(Level level) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    setContext(ctx);
    setName("capture");
    text.setContext(ctx);
    text.start();
    json.setContext(ctx);
    json.start();
    root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    before = root.getLevel();
    root.setLevel(level);
    start();
    root.addAppender(this);
    // a CLI run in the same JVM reconfigures logging (LogSetup resets the context, which detaches
    // every appender): come back after each reset, so a capture opened earlier keeps capturing
    resetListener =
        new LoggerContextListener() {
          @Override
          public boolean isResetResistant() {
            return true;
          }

          @Override
          public void onReset(LoggerContext c) {
            // the reset stopped and detached this appender
            LogCapture.this.start();
            root.setLevel(level);
            root.addAppender(LogCapture.this);
          }

          @Override
          public void onStart(LoggerContext c) {}

          @Override
          public void onStop(LoggerContext c) {}

          @Override
          public void onLevelChange(ch.qos.logback.classic.Logger l, Level lv) {}
        };
    ctx.addListener(resetListener);
  }

  /** Captures from {@code level} up, the root logger set to it meanwhile. */
  public static LogCapture start(Level level) {
    return new LogCapture(level);
  }

  @Override
  protected void append(ILoggingEvent e) {
    String t = new String(text.encode(e), StandardCharsets.UTF_8);
    String j = new String(json.encode(e), StandardCharsets.UTF_8);
    synchronized (lines) {
      lines.add(t);
      lines.add(j);
    }
  }

  /** The rendered lines so far (text and JSON form of each event). */
  public List<String> lines() {
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }

  /** All text lines so far, joined. */
  public String text() {
    StringBuilder b = new StringBuilder();
    List<String> all = lines();
    for (int i = 0; i < all.size(); i += 2) {
      b.append(all.get(i));
    }
    return b.toString();
  }

  /** Waits (at most 10 s) until a captured line contains {@code s}. */
  public void await(String s) throws InterruptedException {
    long end = System.nanoTime() + 10_000_000_000L;
    while (!text().contains(s)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("never logged '" + s + "':\n" + text());
      }
      Thread.sleep(10);
    }
  }

  @Override
  public void close() {
    ((LoggerContext) getContext()).removeListener(resetListener);
    root.detachAppender(this);
    root.setLevel(before);
    stop();
  }
}
