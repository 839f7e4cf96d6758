package org.polyshare.models.data;

import java.nio.ByteBuffer;

/** IDX files built in memory for the data-set and train-command tests. */
public final class IdxFiles {
  private IdxFiles() {}

  /**
   * An IDX file: two zero bytes, the element {@code type} (0x08: unsigned bytes), the number of
   * dimensions, each dimension as a big-endian int, then {@code data}.
   */
  public static byte[] idx(int type, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.put(data).array();
  }

  /** An IDX file of unsigned bytes, the element type of the MNIST and Fashion-MNIST files. */
  public static byte[] ubytes(int[] dims, byte[] data) {
    return idx(0x08, dims, data);
  }
}
