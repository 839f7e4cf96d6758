package org.polyshare.models.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX format of the MNIST files (LeCun): a 4-byte magic {@code 0x00 0x00 type rank},
 * then {@code rank} big-endian int32 dimensions, then the data row-major. Only unsigned bytes
 * ({@code type = 0x08}) occur in MNIST and are supported. A file ending in {@code .gz}, or starting
 * with the gzip magic, is gunzipped first.
 */
public final class Idx {

  /** An IDX array of unsigned bytes: dimensions and the flat data. */
  public record UByteArray(int[] dims, byte[] data) {
    public int count() {
      return dims[0];
    }

    public int unsigned(int i) {
      return data[i] & 0xFF;
    }
  }

  private static final int TYPE_UBYTE = 0x08;

  private Idx() {}

  /** Reads an IDX file, checking that its rank is {@code expectedRank}. */
  public static UByteArray read(Path file, int expectedRank) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "IDX file not found: " + file + " (fetch MNIST with `bin/models data mnist --out DIR`)");
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1F && (bytes[1] & 0xFF) == 0x8B) {
      bytes = gunzip(bytes, file);
    }
    return parse(bytes, expectedRank, file.toString());
  }

  /** Parses IDX bytes; {@code source} only names the input in error messages. */
  public static UByteArray parse(byte[] bytes, int expectedRank, String source) throws IOException {
    if (bytes.length < 4) {
      throw new IOException(
          "malformed IDX file "
              + source
              + ": "
              + bytes.length
              + " bytes, too short for the 4-byte magic");
    }
    int b0 = bytes[0] & 0xFF, b1 = bytes[1] & 0xFF, type = bytes[2] & 0xFF, rank = bytes[3] & 0xFF;
    if (b0 != 0 || b1 != 0) {
      throw new IOException(
          String.format(
              "malformed IDX file %s: bad magic %02x %02x %02x %02x (an IDX file starts with 00 00)",
              source, b0, b1, type, rank));
    }
    if (type != TYPE_UBYTE) {
      throw new IOException(
          String.format(
              "malformed IDX file %s: element type 0x%02x unsupported (MNIST uses 0x08, unsigned byte)",
              source, type));
    }
    if (rank != expectedRank) {
      throw new IOException(
          "malformed IDX file "
              + source
              + ": rank "
              + rank
              + ", expected "
              + expectedRank
              + (expectedRank == 3 ? " (images: count, rows, cols)" : " (labels: count)"));
    }
    int header = 4 + 4 * rank;
    if (bytes.length < header) {
      throw new IOException(
          "malformed IDX file "
              + source
              + ": truncated header ("
              + bytes.length
              + " bytes, need "
              + header
              + ")");
    }
    int[] dims = new int[rank];
    long total = 1;
    for (int d = 0; d < rank; d++) {
      int o = 4 + 4 * d;
      dims[d] =
          ((bytes[o] & 0xFF) << 24)
              | ((bytes[o + 1] & 0xFF) << 16)
              | ((bytes[o + 2] & 0xFF) << 8)
              | (bytes[o + 3] & 0xFF);
      if (dims[d] <= 0) {
        throw new IOException(
            "malformed IDX file "
                + source
                + ": dimension "
                + d
                + " is "
                + dims[d]
                + " (must be positive)");
      }
      total *= dims[d];
    }
    long have = bytes.length - (long) header;
    if (have < total) {
      throw new IOException(
          "malformed IDX file "
              + source
              + ": truncated, dimensions "
              + Arrays.toString(dims)
              + " need "
              + total
              + " data bytes but only "
              + have
              + " present");
    }
    if (have > total) {
      throw new IOException(
          "malformed IDX file "
              + source
              + ": "
              + (have - total)
              + " trailing bytes after the data of dimensions "
              + Arrays.toString(dims));
    }
    return new UByteArray(dims, Arrays.copyOfRange(bytes, header, bytes.length));
  }

  private static byte[] gunzip(byte[] gz, Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(gz.length * 4);
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IOException("malformed gzip IDX file " + file + ": " + e.getMessage(), e);
    }
  }
}
