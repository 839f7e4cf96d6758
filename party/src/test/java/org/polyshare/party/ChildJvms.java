package org.polyshare.party;

import org.polyshare.core.ops.ChildJvm;

/** Teardown of the JVMs a process test started. */
final class ChildJvms {
  private ChildJvms() {}

  /** Kills each JVM that was started (null: not started yet when the test failed). */
  static void destroyAll(ChildJvm... jvms) {
    for (ChildJvm j : jvms) {
      if (j != null) {
        j.process().destroyForcibly();
      }
    }
  }
}
