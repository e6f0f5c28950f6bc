package io.botfleet.fleetctl.command;

import io.botfleet.common.v1.BotIds;
import io.botfleet.common.v1.Scope;
import java.util.List;
import picocli.CommandLine.Option;

/** Which bots: {@code --fleet}, {@code --group G} or {@code --bot B...} (names or ids). */
public final class ScopeOptions {

  @Option(names = "--fleet", description = "Every bot of the fleet.")
  boolean fleet;

  @Option(names = "--group", paramLabel = "GROUP", description = "Every bot of this group.")
  String group;

  @Option(
      names = "--bot",
      paramLabel = "BOT",
      arity = "1..*",
      description = "These bots, by name or id (repeat, or several after one --bot).")
  List<String> bots;

  /** The scope, with bot names resolved to ids. */
  Scope toProto(Session session) {
    if (fleet) {
      return Scope.newBuilder().setFleet(true).build();
    }
    if (group != null) {
      return Scope.newBuilder().setGroup(group).build();
    }
    return Scope.newBuilder()
        .setBots(BotIds.newBuilder().addAllBotIds(session.bots().ids(bots)))
        .build();
  }

  /** For confirmations and messages: "the whole fleet", "group spot-arb", "spot-arb-01, …". */
  String describe() {
    if (fleet) {
      return "EVERY bot of the fleet";
    }
    if (group != null) {
      return "every bot of group " + group;
    }
    return String.join(", ", bots);
  }
}
