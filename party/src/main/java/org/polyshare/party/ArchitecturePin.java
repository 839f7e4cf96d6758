package org.polyshare.party;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.zoo.Zoo;

/**
 * What party 1 accepts as the architecture party 0 sends: anything (no pin), the architecture of a
 * local architecture-only file or zoo name, and/or a SHA-256 given with {@code
 * --expect-architecture}. Party 1 never reads a model with weights: an ONNX file (its initializers
 * are party 0's weights) is refused with the way to make the architecture-only file.
 *
 * @param local the local architecture (null without one): lets party 1 check its input before
 *     connecting
 * @param localSource the {@code --model} it came from
 * @param expectedSha256 the {@code --expect-architecture} hash in lower-case hex, or null
 */
record ArchitecturePin(Architecture local, String localSource, String expectedSha256) {

  /** Pins nothing: party 1 runs whatever architecture party 0 sends. */
  static ArchitecturePin none() {
    return new ArchitecturePin(null, null, null);
  }

  /**
   * {@code model}: null, an architecture-only file or a zoo name; {@code expectSha256}: null or 64
   * hex digits.
   */
  static ArchitecturePin of(String model, String expectSha256) {
    String expected = null;
    if (expectSha256 != null) {
      expected = expectSha256.trim().toLowerCase(Locale.ROOT);
      if (expected.length() != 64
          || !expected.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
        throw new IllegalArgumentException(
            "--expect-architecture must be a SHA-256 in 64 hex digits (as printed"
                + " by party 0 and by `bin/models architecture MODEL`), got '"
                + expectSha256
                + "'");
      }
    }
    if (model == null) {
      return new ArchitecturePin(null, null, expected);
    }
    Architecture local;
    Path p = Path.of(model);
    if (Files.isRegularFile(p)) {
      local = readArchitectureOnly(p);
    } else if (model.toLowerCase(Locale.ROOT).endsWith(".onnx") || model.contains("/")) {
      throw new IllegalArgumentException("no such architecture file: " + model);
    } else {
      local = Architecture.of(Zoo.architecture(model)); // a zoo name is public: shapes only
    }
    if (expected != null && !expected.equals(local.sha256Hex())) {
      throw new IllegalArgumentException(
          "--model "
              + model
              + " has architecture "
              + local.sha256Hex()
              + " but --expect-architecture is "
              + expected
              + "; give one or make them agree");
    }
    return new ArchitecturePin(local, model, expected);
  }

  private static Architecture readArchitectureOnly(Path p) {
    byte[] head;
    try (InputStream in = Files.newInputStream(p)) {
      head = in.readNBytes(Architecture.MAGIC.length() + 1);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + p + ": " + e.getMessage(), e);
    }
    if (!Architecture.looksLikeArchitecture(head)) {
      throw new IllegalArgumentException(
          p
              + " is not an architecture-only file"
              + (p.toString().toLowerCase(Locale.ROOT).endsWith(".onnx")
                  ? " but an ONNX model, whose initializers are" + " party 0's weights"
                  : "")
              + ": party 1 never takes a model with weights. Give party 1 no --model"
              + " (party 0 sends the architecture at session start), or an architecture-only file made on the owner's"
              + " side with `bin/models export --architecture-only MODEL -o FILE` (`bin/models architecture MODEL`"
              + " prints its hash for --expect-architecture)");
    }
    return Architecture.read(p);
  }

  /** Throws, naming both hashes, when {@code received} is not what this pin accepts. */
  void check(Architecture received) {
    String got = received.sha256Hex();
    if (expectedSha256 != null && !expectedSha256.equals(got)) {
      throw new IllegalArgumentException(
          "party 0 sent architecture "
              + got
              + " (model '"
              + received.model().name()
              + "') but --expect-architecture pins "
              + expectedSha256
              + "; refusing to run it");
    }
    if (local != null && !local.sha256Hex().equals(got)) {
      throw new IllegalArgumentException(
          "party 0 sent architecture "
              + got
              + " (model '"
              + received.model().name()
              + "') but --model "
              + localSource
              + " has architecture "
              + local.sha256Hex()
              + " (model '"
              + local.model().name()
              + "'); refusing to run it");
    }
  }
}
