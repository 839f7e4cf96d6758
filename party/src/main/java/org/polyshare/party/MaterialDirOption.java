package org.polyshare.party;

import java.nio.file.Path;
import org.polyshare.core.store.MaterialStore;
import picocli.CommandLine.Option;

/** {@code --material-dir DIR}, mixed into {@code party run} and {@code party serve}. */
final class MaterialDirOption {
  @Option(
      names = "--material-dir",
      description =
          "where garbled tables and labels wait between the offline and online phases (a fresh"
              + " subdirectory per session, removed at its end; default: the system's temporary"
              + " directory)")
  Path materialDir;

  /** Makes the process's material stores use the directory (null: the temporary directory). */
  void apply() {
    MaterialStore.useDirectory(materialDir);
  }
}
