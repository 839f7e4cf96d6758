package org.polyshare.core.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logback, configured in code: one console appender on <b>stderr</b> (stdout stays the commands'
 * output: results, tables, reports), a root level, and one of two formats —
 *
 * <ul>
 *   <li>{@code text}: {@code 2026-12-01T13:43:08.123Z INFO DealerServer [dealer-session]
 *       session=s1@3f9c - message}
 *   <li>{@code json}: one JSON object per line ({@code timestamp} in epoch ms, {@code level},
 *       {@code threadName}, {@code loggerName}, {@code mdc} with the session, {@code
 *       formattedMessage}, {@code throwable}).
 * </ul>
 *
 * The session shows through the MDC key {@link #SESSION} (see {@link SessionMdc}). {@link Default}
 * is found by Logback's service loader, so a process that never parses {@code --log-level} still
 * gets INFO in text (not Logback's DEBUG default).
 */
public final class LogSetup {
  private LogSetup() {}

  /** MDC key of the public session id. */
  public static final String SESSION = "session";

  /** Log line formats. */
  public enum Format {
    TEXT,
    JSON;

    /** {@code text} or {@code json}, any case. */
    public static Format parse(String s) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(s)) {
          return f;
        }
      }
      throw new IllegalArgumentException("log format must be text or json, got '" + s + "'");
    }
  }

  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level %logger{0} [%thread]"
          + "%replace( session=%X{"
          + SESSION
          + "}){' session=$', ''} - %msg%n%ex";

  private static Level level = Level.INFO;
  private static Format format = Format.TEXT;

  /** {@code TRACE, DEBUG, INFO, WARN, ERROR} or {@code OFF}, any case. */
  public static Level parseLevel(String s) {
    Level l = Level.toLevel(s.toUpperCase(Locale.ROOT), null);
    if (l == null || l == Level.ALL) {
      throw new IllegalArgumentException(
          "log level must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF; got '" + s + "'");
    }
    return l;
  }

  /** Sets the root level (every logger, Netty's included) and reconfigures. */
  public static synchronized void level(Level l) {
    level = l;
    apply(context());
  }

  /** Sets the line format and reconfigures. */
  public static synchronized void format(Format f) {
    format = f;
    apply(context());
  }

  public static synchronized Level level() {
    return level;
  }

  public static synchronized Format format() {
    return format;
  }

  private static LoggerContext context() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      throw new IllegalStateException(
          "logging is not backed by Logback (SLF4J bound to "
              + LoggerFactory.getILoggerFactory().getClass().getName()
              + ")");
    }
    return ctx;
  }

  /** Replaces the whole configuration of {@code ctx} with the current level and format. */
  static synchronized void apply(LoggerContext ctx) {
    ctx.reset();
    Encoder<ILoggingEvent> encoder = format == Format.JSON ? json() : text();
    encoder.setContext(ctx);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setName("stderr");
    console.setContext(ctx);
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();
    ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(console);
  }

  /** The pattern encoder of {@code --log-format text}. */
  static Encoder<ILoggingEvent> text() {
    PatternLayoutEncoder e = new PatternLayoutEncoder();
    e.setPattern(PATTERN);
    return e;
  }

  /** The JSON encoder of {@code --log-format json}. */
  static Encoder<ILoggingEvent> json() {
    JsonEncoder e = new JsonEncoder();
    e.setWithSequenceNumber(false);
    e.setWithNanoseconds(false);
    e.setWithContext(false);
    e.setWithArguments(false); // the formatted message already holds them
    e.setWithMessage(false);
    e.setWithFormattedMessage(true);
    return e;
  }

  /** Logback's first configurator (service loader): INFO, text, stderr. */
  @ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
  public static final class Default extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
      apply(ctx);
      return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
  }
}
