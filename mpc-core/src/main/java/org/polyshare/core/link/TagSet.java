package org.polyshare.core.link;

import java.util.ArrayList;
import java.util.List;

/**
 * The message tags a link end expects to read, as named ranges (one per protocol family). A frame
 * under any other tag is one nobody will read: the link refuses it instead of queueing it.
 */
public final class TagSet {
  /** A protocol family: the closed tag range {@code [first, last]}. */
  public record Family(String name, int first, int last) {
    public Family {
      if (first > last) {
        throw new IllegalArgumentException(
            "empty tag range for " + name + ": " + first + " > " + last);
      }
    }

    /** The 2^16 tags whose upper 16 bits are {@code prefix} (e.g. 0x4743, ASCII "GC"). */
    public static Family prefixed(String name, int prefix) {
      return new Family(name, prefix << 16, (prefix << 16) | 0xFFFF);
    }

    public static Family single(String name, int tag) {
      return new Family(name, tag, tag);
    }

    boolean contains(int tag) {
      return tag >= first && tag <= last;
    }

    @Override
    public String toString() {
      return name
          + (first == last ? " (" + hex(first) + ")" : " (" + hex(first) + "–" + hex(last) + ")");
    }
  }

  /** Every non-negative tag: what an in-process link or a test link reads. */
  public static final TagSet ANY =
      new TagSet(List.of(new Family("any protocol tag", 0, Integer.MAX_VALUE)));

  /** No protocol tag at all (a link whose peer must send nothing but control frames). */
  public static final TagSet NONE = new TagSet(List.of());

  private final List<Family> families;

  private TagSet(List<Family> families) {
    this.families = List.copyOf(families);
  }

  public static TagSet of(Family... families) {
    return new TagSet(List.of(families));
  }

  /** Both sets' families (a listener expecting several peer roles reads what any of them sends). */
  public TagSet union(TagSet other) {
    List<Family> all = new ArrayList<>(families);
    for (Family f : other.families) {
      if (!all.contains(f)) {
        all.add(f);
      }
    }
    return new TagSet(all);
  }

  public boolean contains(int tag) {
    for (Family f : families) {
      if (f.contains(tag)) {
        return true;
      }
    }
    return false;
  }

  public List<Family> families() {
    return families;
  }

  static String hex(int tag) {
    return "0x" + Integer.toHexString(tag);
  }

  @Override
  public String toString() {
    return families.isEmpty() ? "no protocol tags" : families.toString();
  }
}
