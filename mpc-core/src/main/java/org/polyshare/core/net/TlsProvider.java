package org.polyshare.core.net;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;

/**
 * Which TLS engine the links use: BoringSSL (netty-tcnative, shipped for Linux x86-64) where it
 * loads, else the JDK's {@code SSLEngine}. Both speak the same TLS 1.3 with the same suites and
 * certificates, so ends of either kind interoperate.
 *
 * <p>Why BoringSSL by default: a link's per-byte cost is mostly AES-GCM. The JDK engine works on
 * {@code byte[]}: each record's plaintext is copied out of the link's direct buffer, sealed, and
 * the heap ciphertext copied again into a direct buffer for the socket (Netty hands the JDK engine
 * heap output buffers for that reason). BoringSSL seals direct buffer to direct buffer with its
 * assembly AES-GCM, no heap copies.
 *
 * <p>{@value #PROPERTY} = {@code jdk} forces the JDK engine, {@code openssl} requires BoringSSL
 * (failing with the reason it did not load), {@code auto} (default) takes BoringSSL when it loads.
 */
public enum TlsProvider {
  JDK(SslProvider.JDK),
  OPENSSL(SslProvider.OPENSSL);

  /**
   * System property choosing the engine: {@code auto} (default), {@code jdk} or {@code openssl}.
   */
  public static final String PROPERTY = "polyshare.tls";

  private final SslProvider netty;

  TlsProvider(SslProvider netty) {
    this.netty = netty;
  }

  SslProvider netty() {
    return netty;
  }

  /** The engine {@value #PROPERTY} asks for (see the class comment). */
  public static TlsProvider configured() {
    return choose(System.getProperty(PROPERTY, "auto"));
  }

  static TlsProvider choose(String setting) {
    return switch (setting.trim().toLowerCase(Locale.ROOT)) {
      case "auto", "" -> boringSslLoads() ? OPENSSL : JDK;
      case "jdk" -> JDK;
      case "openssl" -> {
        if (!boringSslLoads()) {
          throw new IllegalStateException(
              "-D"
                  + PROPERTY
                  + "=openssl, but BoringSSL (netty-tcnative) does not load here: "
                  + OpenSsl.unavailabilityCause()
                  + "; use -D"
                  + PROPERTY
                  + "=jdk or auto");
        }
        yield OPENSSL;
      }
      default ->
          throw new IllegalArgumentException(
              "-D" + PROPERTY + " must be auto, jdk or openssl, got '" + setting + "'");
    };
  }

  /** True when BoringSSL loaded and speaks TLS 1.3. */
  static boolean boringSslLoads() {
    return OpenSsl.isAvailable() && SslProvider.isTlsv13Supported(SslProvider.OPENSSL);
  }
}
