package org.polyshare.core.ops;

import ch.qos.logback.classic.Level;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --log-level} and {@code --log-format}, mixed into a CLI's top command and inherited by its
 * subcommands ({@code dealer --log-level debug serve …} and {@code dealer serve --log-level debug
 * …} alike). Each applies at once, when parsed, through {@link LogSetup}.
 */
public final class LogOptions {
  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      scope = ScopeType.INHERIT,
      converter = LevelConverter.class,
      description =
          "diagnostics on stderr from this level up: TRACE, DEBUG, INFO, WARN, ERROR or OFF (default: INFO)")
  void level(Level l) {
    if (l != null) {
      LogSetup.level(l);
    }
  }

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      scope = ScopeType.INHERIT,
      converter = FormatConverter.class,
      description = "text (default) or json (one JSON object per line)")
  void format(LogSetup.Format f) {
    if (f != null) {
      LogSetup.format(f);
    }
  }

  static final class LevelConverter implements ITypeConverter<Level> {
    @Override
    public Level convert(String value) {
      try {
        return LogSetup.parseLevel(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class FormatConverter implements ITypeConverter<LogSetup.Format> {
    @Override
    public LogSetup.Format convert(String value) {
      try {
        return LogSetup.Format.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
