package io.botfleet.fleet.domain;

import io.botfleet.common.error.InvalidArgumentException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which bots a command is aimed at: the whole fleet, one group, or chosen bots. */
public sealed interface Scope {

  /** Most bots a scope may name. */
  int MAX_BOTS = 10_000;

  /** Every bot of the fleet. */
  record Fleet() implements Scope {}

  /** Every bot of one group. */
  record Group(String group) implements Scope {}

  /** These bots. */
  record Bots(List<String> botIds) implements Scope {
    /** Ids copied. */
    public Bots {
      botIds = List.copyOf(botIds);
    }
  }

  /** One bot. */
  static Scope bot(String botId) {
    return new Bots(List.of(botId));
  }

  /** The scope as stored with the command. */
  default Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    if (this instanceof Group g) {
      map.put("group", g.group());
    } else if (this instanceof Bots b) {
      map.put("bot_ids", b.botIds());
    } else {
      map.put("fleet", true);
    }
    return map;
  }

  /** A scope from its stored form. */
  @SuppressWarnings("unchecked")
  static Scope fromMap(Map<String, Object> map) {
    if (map.containsKey("group")) {
      return new Group((String) map.get("group"));
    }
    if (map.containsKey("bot_ids")) {
      return new Bots((List<String>) map.get("bot_ids"));
    }
    return new Fleet();
  }

  /** INVALID_ARGUMENT naming the field if the scope is malformed. */
  static void check(Scope scope, String field) {
    if (scope == null) {
      throw new InvalidArgumentException(
          field, "is required: set fleet = true, a group, or bot ids");
    }
    if (scope instanceof Group g) {
      if (g.group() == null || g.group().isBlank() || g.group().length() > 64) {
        throw new InvalidArgumentException(field + ".group", "must be 1 to 64 characters");
      }
    } else if (scope instanceof Bots b) {
      if (b.botIds().isEmpty() || b.botIds().size() > MAX_BOTS) {
        throw new InvalidArgumentException(
            field + ".bots.bot_ids", "must name 1 to " + MAX_BOTS + " bots");
      }
      Set<String> seen = new HashSet<>();
      for (String id : b.botIds()) {
        if (id == null || id.isBlank()) {
          throw new InvalidArgumentException(field + ".bots.bot_ids", "an id is empty");
        }
        if (!seen.add(id)) {
          throw new InvalidArgumentException(
              field + ".bots.bot_ids", "names " + id + " more than once");
        }
      }
    }
  }
}
