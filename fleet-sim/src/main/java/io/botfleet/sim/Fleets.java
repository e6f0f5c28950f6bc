package io.botfleet.sim;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fleets the simulator runs: the guide's 12 bots, a generated load fleet, or a tokens file. */
final class Fleets {

  /** One group of the guide's fleet: its bots share strategy, version and size. */
  record Group(
      String name,
      String strategy,
      String version,
      BigDecimal maxPositionUsd,
      List<String> exchanges) {}

  /** The guide's example fleet (SEED-SPEC.md). */
  static final List<Group> GUIDE_GROUPS =
      List.of(
          new Group(
              "spot-arb",
              "cross-exchange-arb",
              "2.4.1",
              new BigDecimal("10000"),
              List.of("binance", "binance", "okx")),
          new Group(
              "perp-momentum",
              "trend-following-perps",
              "1.8.3",
              new BigDecimal("25000"),
              List.of("binance", "bybit", "okx", "deribit", "binance")),
          new Group(
              "options-mm",
              "delta-neutral-mm",
              "3.1.0",
              new BigDecimal("50000"),
              List.of("deribit", "deribit", "deribit", "deribit")));

  /** The token of a tokens-file line whose bot enrolled before and reuses its key file. */
  static final String NO_TOKEN = "-";

  private Fleets() {}

  /** spot-arb-01..03, perp-momentum-01..05, options-mm-01..04, as in the guide. */
  static List<BotProfile> guideFleet() {
    List<BotProfile> bots = new ArrayList<>();
    for (Group group : GUIDE_GROUPS) {
      for (int i = 0; i < group.exchanges().size(); i++) {
        bots.add(
            new BotProfile(
                String.format("%s-%02d", group.name(), i + 1),
                group.name(),
                group.exchanges().get(i),
                group.strategy(),
                group.version(),
                group.maxPositionUsd(),
                false));
      }
    }
    return bots;
  }

  /**
   * {@code count} bots spread evenly over {@code groups} (guide groups take their strategy,
   * version, size and exchanges; any other group name is a spot-arb-like group of its own), named
   * {@code <group>-00001} …
   */
  static List<BotProfile> loadFleet(int count, List<String> groups) {
    if (count < 1) {
      throw new IllegalArgumentException("--bots must be >= 1, got " + count);
    }
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("--groups needs at least one group");
    }
    List<BotProfile> bots = new ArrayList<>(count);
    int width = Math.max(5, Integer.toString(count).length());
    for (int i = 0; i < count; i++) {
      Group group = group(groups.get(i % groups.size()));
      int index = i / groups.size() + 1;
      bots.add(
          new BotProfile(
              group.name() + "-" + String.format("%0" + width + "d", index),
              group.name(),
              group.exchanges().get(index % group.exchanges().size()),
              group.strategy(),
              group.version(),
              group.maxPositionUsd(),
              false));
    }
    return bots;
  }

  /** A guide group by name, or a new group run with the spot-arb model. */
  static Group group(String name) {
    for (Group group : GUIDE_GROUPS) {
      if (group.name().equals(name)) {
        return group;
      }
    }
    Group arb = GUIDE_GROUPS.get(0);
    return new Group(name, arb.strategy(), arb.version(), arb.maxPositionUsd(), arb.exchanges());
  }

  /**
   * An enrollment token per bot, one per line: {@code <name> <token> [key=value ...]} with the
   * optional keys {@code group}, {@code exchange}, {@code strategy}, {@code version}, {@code
   * max_position_usd}, {@code standby}. What a key leaves out comes from the guide's fleet (for its
   * names) or from the group named by the name's prefix. Blank lines and {@code #} comments are
   * skipped.
   *
   * @return name → (profile, token), in file order
   * @throws IllegalArgumentException naming the line that is malformed
   */
  static Map<BotProfile, String> readTokens(Path file) throws IOException {
    Map<String, BotProfile> guide = new LinkedHashMap<>();
    guideFleet().forEach(bot -> guide.put(bot.name(), bot));
    Map<BotProfile, String> tokens = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\\s+");
      if (fields.length < 2) {
        throw new IllegalArgumentException(
            file + ":" + (n + 1) + ": want <name> <token> [key=value ...], got: " + line);
      }
      Map<String, String> extra = new LinkedHashMap<>();
      for (int i = 2; i < fields.length; i++) {
        int equals = fields[i].indexOf('=');
        if (equals < 1) {
          throw new IllegalArgumentException(
              file + ":" + (n + 1) + ": '" + fields[i] + "' is not key=value");
        }
        extra.put(fields[i].substring(0, equals), fields[i].substring(equals + 1));
      }
      String name = fields[0];
      BotProfile base = guide.getOrDefault(name, fromName(name));
      BotProfile profile =
          new BotProfile(
              name,
              extra.getOrDefault("group", base.group()),
              extra.getOrDefault("exchange", base.exchange()),
              extra.getOrDefault("strategy", base.strategy()),
              extra.getOrDefault("version", base.version()),
              new BigDecimal(
                  extra.getOrDefault("max_position_usd", base.maxPositionUsd().toPlainString())),
              Boolean.parseBoolean(
                  extra.getOrDefault("standby", Boolean.toString(base.standby()))));
      tokens.put(profile, fields[1]);
    }
    return tokens;
  }

  /** A profile from a name such as {@code perp-momentum-07}: the group is the prefix. */
  static BotProfile fromName(String name) {
    String groupName = name.replaceFirst("-\\d+$", "");
    Group group = group(groupName);
    return new BotProfile(
        name,
        group.name(),
        group.exchanges().get(Math.floorMod(name.hashCode(), group.exchanges().size())),
        group.strategy(),
        group.version(),
        group.maxPositionUsd(),
        false);
  }
}
