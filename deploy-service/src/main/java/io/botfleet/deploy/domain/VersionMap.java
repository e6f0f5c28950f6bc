package io.botfleet.deploy.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which bots run which version (the guide's version map), newest version first, to see skew.
 *
 * @param versions one entry per version
 */
public record VersionMap(List<Entry> versions) {

  /**
   * The bots on one version.
   *
   * @param version the version
   * @param botNames their names, sorted
   */
  public record Entry(String version, List<String> botNames) {}

  /** True if more than one version runs. */
  public boolean skew() {
    return versions.size() > 1;
  }

  /** The map of these bots (bots that left the fleet are not counted). */
  public static VersionMap of(List<FleetBot> bots) {
    Map<String, List<String>> byVersion = new TreeMap<>(NEWEST_FIRST);
    for (FleetBot bot : bots) {
      if (!bot.status().gone()) {
        byVersion.computeIfAbsent(bot.version(), v -> new ArrayList<>()).add(bot.name());
      }
    }
    List<Entry> entries = new ArrayList<>();
    byVersion.forEach((v, names) -> entries.add(new Entry(v, names.stream().sorted().toList())));
    return new VersionMap(entries);
  }

  /**
   * Newest first: dotted versions compare part by part, numerically where both parts are numbers
   * ("1.10.0" after "1.9.2"), else as text.
   */
  static final Comparator<String> NEWEST_FIRST =
      ((Comparator<String>) VersionMap::compareVersions).reversed();

  static int compareVersions(String a, String b) {
    String[] x = a.split("[.+-]");
    String[] y = b.split("[.+-]");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c;
      if (x[i].matches("\\d{1,18}") && y[i].matches("\\d{1,18}")) {
        c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
      } else {
        c = x[i].compareTo(y[i]);
      }
      if (c != 0) {
        return c;
      }
    }
    int c = Integer.compare(x.length, y.length);
    return c != 0 ? c : a.compareTo(b);
  }
}
