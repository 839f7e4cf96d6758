package org.polyshare.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a party keeps precomputed material too large for the Java heap (garbled tables, wire
 * labels) between the offline and the online phase: {@link LongFile}s, each a fixed-length array of
 * longs in a memory-mapped file of its own, in a fresh directory this store creates and removes.
 *
 * <p>Lifecycle: one store per session, opened in a try-with-resources block. A file is removed as
 * soon as its material is consumed ({@link LongFile#close}); {@link #close} removes what is left
 * (material of an inference that failed or never ran) and the directory itself, so nothing remains
 * after a session, whether it succeeded or threw. {@link #onHeap} keeps the same arrays on the Java
 * heap instead (tests, small in-process runs): same code path, no files.
 *
 * <p>Mapped pages are file-backed: the kernel may write them out and drop them under memory
 * pressure, so they do not count against {@code -Xmx} (they do show in the resident set while
 * touched). Not thread-safe beyond {@link #bytes}/{@link #peakBytes}: one protocol thread per
 * party.
 */
public final class MaterialStore implements AutoCloseable {
  /** Bytes per mapping: a {@code MappedByteBuffer} is int-indexed, so files above 2 GiB split. */
  public static final long DEFAULT_SEGMENT_BYTES = 1L << 30;

  private final Path directory;
  private final long segmentLongs;
  private final Set<LongFile> open = new LinkedHashSet<>();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong peak = new AtomicLong();
  private final AtomicLong created = new AtomicLong();
  private int next;
  private boolean closed;

  private MaterialStore(Path directory, long segmentBytes) {
    if (segmentBytes < 8 || segmentBytes % 8 != 0 || segmentBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "segment size must be a positive multiple of 8 below 2 GiB, got " + segmentBytes);
    }
    this.directory = directory;
    this.segmentLongs = segmentBytes / 8;
  }

  private static volatile Path defaultParent;

  /**
   * Sets where {@link #temporary} stores go in this process (the party CLI's {@code
   * --material-dir}, one setting per process like {@code java.io.tmpdir}); null restores the
   * temporary directory.
   */
  public static void useDirectory(Path parentOrNull) {
    defaultParent = parentOrNull;
  }

  /**
   * A store in a fresh directory under the directory {@link #useDirectory} set, else under the
   * system's temporary directory.
   */
  public static MaterialStore temporary() {
    Path p = defaultParent;
    return under(
        p != null ? p : Path.of(System.getProperty("java.io.tmpdir")), DEFAULT_SEGMENT_BYTES);
  }

  /**
   * A store in a fresh directory {@code polyshare-material-*} under {@code parent} (created if
   * missing); only that directory is ever removed, never {@code parent} or anything else in it.
   */
  public static MaterialStore under(Path parent, long segmentBytes) {
    try {
      Files.createDirectories(parent);
      return new MaterialStore(
          Files.createTempDirectory(parent, "polyshare-material-"), segmentBytes);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create a material directory under " + parent + ": " + e.getMessage(), e);
    }
  }

  /** Material on the Java heap: no directory, no files (segments of {@code segmentBytes}). */
  public static MaterialStore onHeap(long segmentBytes) {
    return new MaterialStore(null, segmentBytes);
  }

  public static MaterialStore onHeap() {
    return onHeap(DEFAULT_SEGMENT_BYTES);
  }

  /** True when files back this store (false for {@link #onHeap}). */
  public boolean fileBacked() {
    return directory != null;
  }

  /** The store's own directory (null on the heap). */
  public Path directory() {
    return directory;
  }

  /** A zero-filled array of {@code longs} longs, until {@link LongFile#close} or {@link #close}. */
  public LongFile create(String name, long longs) {
    if (closed) {
      throw new IllegalStateException("the material store is closed");
    }
    if (longs < 0) {
      throw new IllegalArgumentException("length must be non-negative, got " + longs);
    }
    Path file = directory == null ? null : directory.resolve((next++) + "-" + name + ".bin");
    LongFile f = new LongFile(this, file, longs, segmentLongs);
    if (directory != null) {
      open.add(f); // heap arrays need no removal: the store must not keep them alive
    }
    long now = bytes.addAndGet(8 * longs);
    peak.accumulateAndGet(now, Math::max);
    created.addAndGet(8 * longs);
    return f;
  }

  void released(LongFile f) {
    if (directory == null || open.remove(f)) {
      bytes.addAndGet(-8 * f.length());
    }
  }

  /** Bytes held now, over every open file. */
  public long bytes() {
    return bytes.get();
  }

  /** The most bytes held at once since the store opened. */
  public long peakBytes() {
    return peak.get();
  }

  /** Bytes of every file ever created in this store. */
  public long createdBytes() {
    return created.get();
  }

  /** Removes every file still open and the directory; later {@link #create} calls fail. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<RuntimeException> errors = new ArrayList<>();
    for (LongFile f : List.copyOf(open)) {
      try {
        f.close();
      } catch (RuntimeException e) {
        errors.add(e);
      }
    }
    if (directory != null) {
      try {
        Files.deleteIfExists(directory);
      } catch (IOException e) {
        errors.add(
            new UncheckedIOException(
                "cannot remove the material directory " + directory + ": " + e.getMessage(), e));
      }
    }
    if (!errors.isEmpty()) {
      RuntimeException first = errors.get(0);
      errors.subList(1, errors.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  @Override
  public String toString() {
    return directory == null ? "MaterialStore[heap]" : "MaterialStore[" + directory + "]";
  }
}
