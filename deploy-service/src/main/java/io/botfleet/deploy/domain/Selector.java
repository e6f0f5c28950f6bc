package io.botfleet.deploy.domain;

import java.util.List;

/**
 * Which bots a deployment targets: a group, or chosen bots (never the whole fleet).
 *
 * @param group the group, or null
 * @param botIds the chosen bots' ids (empty for a group)
 */
public record Selector(String group, List<String> botIds) {

  /** Every bot of a group. */
  public static Selector group(String group) {
    return new Selector(group, List.of());
  }

  /** Chosen bots. */
  public static Selector bots(List<String> botIds) {
    return new Selector(null, List.copyOf(botIds));
  }

  /** True for a group selector. */
  public boolean isGroup() {
    return group != null;
  }
}
