package org.polyshare.models.secure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Request lists are built by concatenation, in the order they are drawn. */
final class Lists {
  private Lists() {}

  @SafeVarargs
  static <T> List<T> concat(List<? extends T>... parts) {
    List<T> out = new ArrayList<>();
    for (List<? extends T> p : parts) {
      out.addAll(p);
    }
    return Collections.unmodifiableList(out);
  }
}
