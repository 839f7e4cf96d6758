package org.polyshare.core.net;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority for one PolyShare deployment (Bouncy Castle). It issues an EC P-256
 * key and certificate per {@link Role}, with the role in the subject ({@code OU=<role>}, {@code
 * CN=polyshare-<role>}) and the deployment's host names and IP addresses as subject alternative
 * names, so TLS can check both who the peer is and where it runs. Files are PEM; keys are
 * unencrypted PKCS#8 and written owner-readable only.
 */
public final class CertificateAuthority {
  public static final String CA_CERT = "ca.pem";
  public static final String CA_KEY = "ca-key.pem";
  public static final List<String> DEFAULT_HOSTS = List.of("localhost", "127.0.0.1");

  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration LEAF_VALIDITY = Duration.ofDays(825);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair keys;
  private final X509Certificate certificate;

  private CertificateAuthority(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A fresh self-signed CA; {@code name} goes into its common name. */
  public static CertificateAuthority create(String name) {
    try {
      KeyPair kp = newKeyPair();
      X500Name subject =
          new X500NameBuilder(BCStyle.INSTANCE)
              .addRDN(BCStyle.O, "PolyShare")
              .addRDN(BCStyle.CN, "PolyShare CA " + name)
              .build();
      var builder = certificateBuilder(subject, CA_VALIDITY, subject, kp.getPublic());
      var ext = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      return new CertificateAuthority(kp, sign(builder, kp.getPrivate()));
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException(
          "cannot create a certificate authority: " + e.getMessage(), e);
    }
  }

  /**
   * The CA stored in {@code dir} ({@code ca.pem}, {@code ca-key.pem}), to issue more certificates.
   */
  public static CertificateAuthority load(Path dir) {
    X509Certificate cert = TlsIdentity.readCertificate(dir.resolve(CA_CERT));
    try (Reader r = Files.newBufferedReader(dir.resolve(CA_KEY), StandardCharsets.US_ASCII);
        PEMParser p = new PEMParser(r)) {
      Object o = p.readObject();
      if (!(o instanceof PrivateKeyInfo info)) {
        throw new IllegalArgumentException(dir.resolve(CA_KEY) + " holds no PKCS#8 private key");
      }
      PrivateKey key = new JcaPEMKeyConverter().getPrivateKey(info);
      return new CertificateAuthority(new KeyPair(cert.getPublicKey(), key), cert);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the CA key " + dir.resolve(CA_KEY) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates a CA and the dealer's, party 0's and party 1's keys and certificates in {@code dir}.
   * Every certificate carries all {@code hosts} as subject alternative names.
   */
  public static CertificateAuthority createAll(Path dir, List<String> hosts) {
    CertificateAuthority ca = create(dir.toAbsolutePath().getFileName().toString());
    ca.writeCa(dir);
    for (Role r : Role.values()) {
      ca.issue(r, hosts, dir);
    }
    return ca;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Writes {@code ca.pem} and {@code ca-key.pem} (the latter should then be kept offline). */
  public void writeCa(Path dir) {
    try {
      Files.createDirectories(dir);
      writePem(dir.resolve(CA_CERT), certificate, false);
      writePem(dir.resolve(CA_KEY), new JcaPKCS8Generator(keys.getPrivate(), null), true);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the CA to " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Issues a key and certificate for {@code role} into {@code dir/<role>.pem} and {@code
   * dir/<role>-key.pem}.
   */
  public void issue(Role role, List<String> hosts, Path dir) {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException(
          "give at least one host name or IP address for the certificates");
    }
    try {
      KeyPair kp = newKeyPair();
      X500Name subject =
          new X500NameBuilder(BCStyle.INSTANCE)
              .addRDN(BCStyle.O, "PolyShare")
              .addRDN(BCStyle.OU, role.id())
              .addRDN(BCStyle.CN, role.commonName())
              .build();
      X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
      var builder = certificateBuilder(issuer, LEAF_VALIDITY, subject, kp.getPublic());
      var ext = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(hosts));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
      X509Certificate cert = sign(builder, keys.getPrivate());
      Files.createDirectories(dir);
      writePem(dir.resolve(role.id() + ".pem"), cert, false);
      writePem(
          dir.resolve(role.id() + "-key.pem"), new JcaPKCS8Generator(kp.getPrivate(), null), true);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException(
          "cannot issue the certificate of " + role.displayName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A certificate of {@code subject}'s {@code key} by {@code issuer}, with a fresh serial, valid
   * for {@code validity} from five minutes ago (a peer's clock may lag).
   */
  private static JcaX509v3CertificateBuilder certificateBuilder(
      X500Name issuer, Duration validity, X500Name subject, PublicKey key) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        serial(),
        Date.from(now.minusSeconds(300)),
        Date.from(now.plus(validity)),
        subject,
        key);
  }

  private static GeneralNames alternativeNames(List<String> hosts) {
    List<GeneralName> names = new ArrayList<>();
    for (String h : hosts) {
      String host = h.trim();
      if (host.isEmpty()) {
        continue;
      }
      names.add(
          InetAddresses.isInetAddress(host)
              ? new GeneralName(GeneralName.iPAddress, host)
              : new GeneralName(GeneralName.dNSName, host));
    }
    return new GeneralNames(names.toArray(new GeneralName[0]));
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    X509CertificateHolder holder =
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key));
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static void writePem(Path file, Object pem, boolean secret) throws IOException {
    Files.deleteIfExists(file);
    if (secret) {
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
    }
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
        JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(pem);
    }
  }
}
