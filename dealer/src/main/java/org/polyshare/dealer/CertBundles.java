package org.polyshare.dealer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.polyshare.core.net.CertificateAuthority;
import org.polyshare.core.net.Role;

/**
 * The output of {@code dealer certs}: one bundle directory per role, each holding only what that
 * role's host needs — the CA certificate and the role's own certificate and key — and the CA key
 * apart, in {@code ca/}, to keep offline. A host given its bundle cannot issue certificates and
 * holds no other role's key.
 *
 * <pre>
 *   OUT/ca/       ca.pem ca-key.pem          keep offline (issues certificates)
 *   OUT/dealer/   ca.pem dealer.pem dealer-key.pem    → the dealer's host
 *   OUT/party0/   ca.pem party0.pem party0-key.pem    → the model owner's host
 *   OUT/party1/   ca.pem party1.pem party1-key.pem    → each client's host
 * </pre>
 */
public final class CertBundles {
  private CertBundles() {}

  /** Directory of the CA's key (and a copy of its certificate). */
  public static final String CA_DIR = "ca";

  /** The bundle directory of {@code role} under {@code out}. */
  public static Path bundle(Path out, Role role) {
    return out.resolve(role.id());
  }

  /** Whether {@code out} already holds bundles or a CA (new layout or the old flat one). */
  public static boolean exist(Path out) {
    if (Files.exists(out.resolve(CA_DIR).resolve(CertificateAuthority.CA_CERT))
        || Files.exists(out.resolve(CertificateAuthority.CA_CERT))) {
      return true;
    }
    for (Role r : Role.values()) {
      if (Files.exists(bundle(out, r))) {
        return true;
      }
    }
    return false;
  }

  /** Creates a CA and one bundle per role; every certificate names all {@code hosts}. */
  public static void write(Path out, List<String> hosts) {
    Path caDir = out.resolve(CA_DIR);
    CertificateAuthority ca =
        CertificateAuthority.create(out.toAbsolutePath().getFileName().toString());
    ca.writeCa(caDir);
    for (Role r : Role.values()) {
      Path dir = bundle(out, r);
      ca.issue(r, hosts, dir);
      try {
        Files.copy(
            caDir.resolve(CertificateAuthority.CA_CERT),
            dir.resolve(CertificateAuthority.CA_CERT),
            StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot write the CA certificate into " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Checks a {@code --certs DIR} before loading {@code role}'s identity from it; throws naming the
   * fix when DIR is the whole output of {@code dealer certs} instead of this role's bundle. Returns
   * a warning (or null) when DIR is an old flat directory that also holds the CA key.
   */
  public static String check(Path dir, Role role) {
    if (!Files.exists(dir.resolve(CertificateAuthority.CA_CERT))
        && Files.isDirectory(bundle(dir, role))) {
      throw new IllegalArgumentException(
          dir
              + " holds the certificate bundles of every role; give this "
              + role.displayName()
              + " only its own: --certs "
              + bundle(dir, role)
              + " (copy that directory alone to this host; keep "
              + dir.resolve(CA_DIR)
              + " offline)");
    }
    if (Files.exists(dir.resolve(CertificateAuthority.CA_KEY))) {
      return "warning: "
          + dir
          + " also holds the CA key ("
          + CertificateAuthority.CA_KEY
          + "), which lets its"
          + " holder issue certificates for any role; re-create the certificates with `dealer certs` and give"
          + " each host only its own bundle";
    }
    return null;
  }
}
