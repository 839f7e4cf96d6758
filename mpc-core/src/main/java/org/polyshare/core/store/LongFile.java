package org.polyshare.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A fixed-length array of longs in a {@link MaterialStore}: a file mapped in segments of at most
 * the store's segment size (a mapping is int-indexed, so more than 2 GiB needs several), or plain
 * heap arrays for an {@link MaterialStore#onHeap} store. Access is bulk only — {@link #put} and
 * {@link #get} of a range to or from a {@code long[]} — so callers keep their loops on primitive
 * arrays and pay one copy per chunk. Native byte order: the file is scratch, read back by the same
 * process.
 *
 * <p>{@link #close} unmaps and deletes the file at once (the material is consumed, or the session
 * ends). Not thread-safe.
 */
public final class LongFile implements AutoCloseable {
  private final MaterialStore store;
  private final Path path;
  private final long length;
  private final long segmentLongs;
  private ByteBuffer[] maps;
  private LongBuffer[] segments;

  LongFile(MaterialStore store, Path path, long length, long segmentLongs) {
    this.store = store;
    this.path = path;
    this.length = length;
    this.segmentLongs = segmentLongs;
    int count = (int) ((length + segmentLongs - 1) / segmentLongs);
    this.maps = new ByteBuffer[count];
    this.segments = new LongBuffer[count];
    if (path == null) {
      for (int i = 0; i < count; i++) {
        segments[i] = LongBuffer.wrap(new long[segmentSize(i)]);
      }
      return;
    }
    try (FileChannel ch =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
      for (int i = 0; i < count; i++) {
        MappedByteBuffer m =
            ch.map(FileChannel.MapMode.READ_WRITE, i * segmentLongs * 8, 8L * segmentSize(i));
        maps[i] = m;
        segments[i] = m.order(ByteOrder.nativeOrder()).asLongBuffer();
      }
    } catch (IOException e) {
      unmapAll();
      deleteQuietly();
      throw new UncheckedIOException(
          "cannot map " + 8 * length + " bytes of material in " + path + ": " + e.getMessage(), e);
    }
  }

  private int segmentSize(int i) {
    return (int) Math.min(segmentLongs, length - i * segmentLongs);
  }

  /** Number of longs. */
  public long length() {
    return length;
  }

  /** Mapped segments (1 for up to the store's segment size). */
  public int segmentCount() {
    return segments == null ? 0 : segments.length;
  }

  /** The backing file, or null on the heap. */
  public Path path() {
    return path;
  }

  /** Writes {@code src[off, off + len)} to longs {@code [at, at + len)}. */
  public void put(long at, long[] src, int off, int len) {
    bulk(PUT, at, src, off, len);
  }

  /** Reads longs {@code [at, at + len)} into {@code dst[off, off + len)}. */
  public void get(long at, long[] dst, int off, int len) {
    bulk(GET, at, dst, off, len);
  }

  /** A bulk transfer between a segment and an array: {@link #PUT} or {@link #GET}. */
  @FunctionalInterface
  private interface Bulk {
    void apply(LongBuffer segment, int index, long[] array, int off, int len);
  }

  private static final Bulk PUT = (s, i, a, off, len) -> s.put(i, a, off, len);
  private static final Bulk GET = (s, i, a, off, len) -> s.get(i, a, off, len);

  /** {@code op} over longs {@code [at, at + len)}, one call per segment the range touches. */
  private void bulk(Bulk op, long at, long[] array, int off, int len) {
    check(at, len);
    while (len > 0) {
      int s = (int) (at / segmentLongs);
      int i = (int) (at % segmentLongs);
      int n = (int) Math.min(len, segmentLongs - i);
      op.apply(segments[s], i, array, off, n);
      at += n;
      off += n;
      len -= n;
    }
  }

  private void check(long at, int len) {
    if (segments == null) {
      throw new IllegalStateException("material file " + path + " is closed (consumed)");
    }
    if (at < 0 || len < 0 || at + len > length) {
      throw new IndexOutOfBoundsException(
          "longs [" + at + ", " + (at + len) + ") outside a material file of " + length);
    }
  }

  /** Unmaps and deletes the file; idempotent. */
  @Override
  public void close() {
    if (segments == null) {
      return;
    }
    segments = null;
    unmapAll();
    store.released(this);
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot remove material file " + path + ": " + e.getMessage(), e);
      }
    }
  }

  private void deleteQuietly() {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // the failure that brought us here is the one to report
    }
  }

  private void unmapAll() {
    ByteBuffer[] m = maps;
    maps = null;
    if (m != null) {
      for (ByteBuffer b : m) {
        if (b != null) {
          Unmapper.unmap(b);
        }
      }
    }
  }

  /**
   * Releases a mapping now rather than when the garbage collector finds it, so a consumed layer's
   * pages leave the address space (and the disk) at once. Uses {@code sun.misc.Unsafe
   * .invokeCleaner} (module jdk.unsupported) when present; without it the mapping goes with its
   * buffer, later.
   */
  private static final class Unmapper {
    private static final Object UNSAFE;
    private static final Method CLEANER;

    static {
      Object u = null;
      Method m = null;
      try {
        Class<?> c = Class.forName("sun.misc.Unsafe");
        Field f = c.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        u = f.get(null);
        m = c.getMethod("invokeCleaner", ByteBuffer.class);
      } catch (ReflectiveOperationException | RuntimeException e) {
        u = null;
        m = null;
      }
      UNSAFE = u;
      CLEANER = m;
    }

    static void unmap(ByteBuffer b) {
      if (CLEANER == null || !b.isDirect()) {
        return;
      }
      try {
        CLEANER.invoke(UNSAFE, b);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // left to the garbage collector
      }
    }
  }
}
