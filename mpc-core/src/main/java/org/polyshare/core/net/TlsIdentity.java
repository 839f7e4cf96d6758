package org.polyshare.core.net;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A process's TLS identity: its own key and certificate and the CA it trusts, loaded from a
 * certificate directory made by {@link CertificateAuthority} ({@code ca.pem}, {@code <role>.pem},
 * {@code <role>-key.pem}). Links use TLS 1.3 only, with client authentication required; the client
 * also checks that the server's certificate names the host it dialled.
 */
public final class TlsIdentity {
  static final String[] PROTOCOLS = {"TLSv1.3"};

  /**
   * AES-128-GCM first: AES-NI makes it the fastest, and 128 bits matches the PRG seeds' strength.
   */
  static final java.util.List<String> CIPHERS =
      java.util.List.of(
          "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  private final Role role;
  private final SslContext server;
  private final SslContext client;

  private TlsIdentity(Role role, SslContext server, SslContext client) {
    this.role = role;
    this.server = server;
    this.client = client;
  }

  /** Loads {@code dir/ca.pem}, {@code dir/<role>.pem} and {@code dir/<role>-key.pem}. */
  public static TlsIdentity load(Path dir, Role role) {
    return load(
        dir.resolve(CertificateAuthority.CA_CERT),
        dir.resolve(role.id() + ".pem"),
        dir.resolve(role.id() + "-key.pem"),
        role);
  }

  public static TlsIdentity load(Path caCert, Path cert, Path key, Role role) {
    return load(caCert, cert, key, role, TlsProvider.configured());
  }

  /** {@link #load(Path, Path, Path, Role)} with the TLS engine {@code provider}. */
  public static TlsIdentity load(
      Path caCert, Path cert, Path key, Role role, TlsProvider provider) {
    for (Path p : List.of(caCert, cert, key)) {
      if (!Files.isReadable(p)) {
        throw new IllegalArgumentException(
            "cannot read "
                + p
                + "; create the certificates with"
                + " `bin/dealer certs --out DIR` and pass that directory with --certs");
      }
    }
    X509Certificate own = readCertificate(cert);
    Role inCert = roleOf(own);
    if (inCert != role) {
      throw new IllegalArgumentException(
          cert
              + " is a certificate for "
              + (inCert == null ? "no PolyShare role" : inCert.displayName())
              + ", not for "
              + role.displayName());
    }
    try {
      SslContext server =
          SslContextBuilder.forServer(cert.toFile(), key.toFile())
              .sslProvider(provider.netty())
              .protocols(PROTOCOLS)
              .ciphers(CIPHERS)
              .trustManager(caCert.toFile())
              .clientAuth(ClientAuth.REQUIRE)
              .build();
      SslContext client =
          SslContextBuilder.forClient()
              .sslProvider(provider.netty())
              .protocols(PROTOCOLS)
              .ciphers(CIPHERS)
              .keyManager(cert.toFile(), key.toFile())
              .trustManager(caCert.toFile())
              .endpointIdentificationAlgorithm("HTTPS")
              .build();
      return new TlsIdentity(role, server, client);
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot load the TLS key and certificates for "
              + role.displayName()
              + " ("
              + cert
              + ", "
              + key
              + ", "
              + caCert
              + "): "
              + e.getMessage(),
          e);
    }
  }

  public Role role() {
    return role;
  }

  SslContext serverContext() {
    return server;
  }

  SslContext clientContext() {
    return client;
  }

  static X509Certificate readCertificate(Path pem) {
    try (var in = Files.newInputStream(pem)) {
      return (X509Certificate)
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException | java.security.cert.CertificateException e) {
      throw new IllegalArgumentException(
          "cannot read certificate " + pem + ": " + e.getMessage(), e);
    }
  }

  /**
   * The role in a certificate's subject ({@code OU=<role>} and {@code CN=polyshare-<role>}), or
   * null.
   */
  static Role roleOf(X509Certificate cert) {
    try {
      String ou = null;
      String cn = null;
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("OU")) {
          if (ou != null) {
            return null;
          }
          ou = String.valueOf(rdn.getValue());
        } else if (rdn.getType().equalsIgnoreCase("CN")) {
          cn = String.valueOf(rdn.getValue());
        }
      }
      Role r = ou == null ? null : Role.fromId(ou);
      return r != null && r.commonName().equals(cn) ? r : null;
    } catch (InvalidNameException e) {
      return null;
    }
  }

  /**
   * The certified role of the peer of an established TLS session; null if its certificate names
   * none.
   */
  static Role peerRole(SSLSession session) throws SSLPeerUnverifiedException {
    Certificate[] chain = session.getPeerCertificates();
    return chain.length > 0 && chain[0] instanceof X509Certificate x ? roleOf(x) : null;
  }

  static String describeRoles(List<Role> roles) {
    List<String> names = new ArrayList<>();
    for (Role r : roles) {
      names.add(r.displayName());
    }
    return String.join(" or ", names);
  }
}
