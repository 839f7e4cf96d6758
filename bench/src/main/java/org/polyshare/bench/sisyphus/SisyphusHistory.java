package org.polyshare.bench.sisyphus;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One training run's activation history ({@code train_fashion.py sisyphus}): per epoch the largest
 * |activation| of each layer, whether some layer escaped above the guard's headroom limit (or the
 * loss went non-finite), and the limit itself.
 *
 * @param maxAbs {@code maxAbs[e][l]}: epoch {@code e}'s largest |output| of layer {@code l}
 */
public record SisyphusHistory(
    String run,
    String arch,
    List<String> layers,
    int[] epochs,
    double[][] maxAbs,
    boolean[] escaped,
    int fixedPointBits,
    double headroomLimit,
    String note) {

  /** The first epoch whose {@code escaped} is true (where the guard refuses), or -1. */
  public int firstEscape() {
    for (int e = 0; e < epochs.length; e++) {
      if (escaped[e]) {
        return epochs[e];
      }
    }
    return -1;
  }

  public static SisyphusHistory read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("history " + file + " does not exist");
    }
    try {
      return parse(Files.readString(file));
    } catch (IllegalArgumentException | IllegalStateException | JsonParseException e) {
      throw new IllegalArgumentException("history " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses the JSON; a missing field or a row of the wrong length is refused by name. */
  public static SisyphusHistory parse(String json) {
    JsonObject o = JsonParser.parseString(json).getAsJsonObject();
    List<String> layers = new ArrayList<>();
    for (JsonElement e : field(o, "layers").getAsJsonArray()) {
      layers.add(e.getAsString());
    }
    JsonArray rows = field(o, "epochs").getAsJsonArray();
    if (layers.isEmpty() || rows.isEmpty()) {
      throw new IllegalArgumentException("no layers or no epochs");
    }
    int n = rows.size();
    int[] epochs = new int[n];
    double[][] maxAbs = new double[n][];
    boolean[] escaped = new boolean[n];
    for (int e = 0; e < n; e++) {
      JsonObject r = rows.get(e).getAsJsonObject();
      epochs[e] = field(r, "epoch").getAsInt();
      escaped[e] = field(r, "escaped").getAsBoolean();
      JsonArray m = field(r, "max_abs").getAsJsonArray();
      if (m.size() != layers.size()) {
        throw new IllegalArgumentException(
            "epoch "
                + epochs[e]
                + " has "
                + m.size()
                + " max_abs values for "
                + layers.size()
                + " layers");
      }
      maxAbs[e] = new double[m.size()];
      for (int l = 0; l < m.size(); l++) {
        maxAbs[e][l] = m.get(l).getAsDouble();
      }
    }
    return new SisyphusHistory(
        field(o, "run").getAsString(),
        o.has("arch") ? o.get("arch").getAsString() : "",
        List.copyOf(layers),
        epochs,
        maxAbs,
        escaped,
        field(o, "fixed_point_bits").getAsInt(),
        field(o, "headroom_limit").getAsDouble(),
        o.has("note") ? o.get("note").getAsString() : "");
  }

  private static JsonElement field(JsonObject o, String name) {
    JsonElement e = o.get(name);
    if (e == null || e.isJsonNull()) {
      throw new IllegalArgumentException("missing field \"" + name + "\"");
    }
    return e;
  }
}
