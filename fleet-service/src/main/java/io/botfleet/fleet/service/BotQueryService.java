package io.botfleet.fleet.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.fleet.domain.Bot;
import io.botfleet.fleet.domain.BotFilter;
import io.botfleet.fleet.domain.Command;
import io.botfleet.fleet.domain.Delivery;
import io.botfleet.fleet.domain.DeliveryState;
import io.botfleet.fleet.persistence.BotEntity;
import io.botfleet.fleet.persistence.BotRepository;
import io.botfleet.fleet.persistence.CommandRepository;
import io.botfleet.fleet.persistence.ConnectionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Reading bots and commands. */
@ApplicationScoped
public class BotQueryService {

  @Inject BotRepository bots;
  @Inject ConnectionRepository connections;
  @Inject CommandRepository commands;

  /**
   * A page of bots.
   *
   * @param bots the bots
   * @param next the position after the last one, if there are more
   * @param total how many match the filters
   */
  public record BotPage(List<Bot> bots, Optional<String> next, long total) {}

  /**
   * A page of a command's deliveries.
   *
   * @param command the command
   * @param deliveries the deliveries
   * @param next the position after the last one, if there are more
   */
  public record CommandStatus(Command command, List<Delivery> deliveries, Optional<String> next) {}

  /** A bot by id; NOT_FOUND if there is none. */
  @Transactional
  public Bot byId(String id) {
    BotEntity bot = bots.findById(id);
    if (bot == null) {
      throw notFound("bot_id", id);
    }
    return bot.toDomain(connections.connected(id));
  }

  /** A bot by name (the one in the fleet, else the one that left last); NOT_FOUND if none. */
  @Transactional
  public Bot byName(String name) {
    BotEntity bot = bots.findByName(name).orElseThrow(() -> notFound("name", name));
    return bot.toDomain(connections.connected(bot.id));
  }

  /** Bots matching the filter, by name, after the position ("name\u0000id"). */
  @Transactional
  public BotPage list(BotFilter filter, int pageSize, String after) {
    String afterName = "";
    String afterId = "";
    if (!after.isEmpty()) {
      int split = after.indexOf('\u0000');
      afterName = split < 0 ? after : after.substring(0, split);
      afterId = split < 0 ? "" : after.substring(split + 1);
    }
    List<BotEntity> page = bots.list(filter, pageSize + 1, afterName, afterId);
    boolean more = page.size() > pageSize;
    List<BotEntity> shown = more ? page.subList(0, pageSize) : page;
    Set<String> connected =
        new HashSet<>(
            shown.isEmpty()
                ? List.of()
                : connections.connectedAmong(shown.stream().map(b -> b.id).toList()));
    List<Bot> result = shown.stream().map(b -> b.toDomain(connected.contains(b.id))).toList();
    Optional<String> next =
        more
            ? Optional.of(
                shown.get(shown.size() - 1).name + "\u0000" + shown.get(shown.size() - 1).id)
            : Optional.empty();
    return new BotPage(result, next, bots.count(filter));
  }

  /**
   * Where a command stands, with a page of its deliveries; NOT_FOUND if there is no such command.
   */
  @Transactional
  public CommandStatus commandStatus(
      UUID commandId, Set<DeliveryState> states, int pageSize, String after) {
    Command command =
        commands
            .find(commandId)
            .orElseThrow(
                () ->
                    BotfleetException.notFound(
                        "COMMAND_NOT_FOUND",
                        "no command " + commandId,
                        Map.of("command_id", commandId.toString())));
    List<Delivery> page = commands.deliveries(commandId, states, pageSize + 1, after);
    boolean more = page.size() > pageSize;
    List<Delivery> shown = more ? page.subList(0, pageSize) : page;
    Optional<String> next =
        more
            ? Optional.of(
                shown.get(shown.size() - 1).botName()
                    + "\u0000"
                    + shown.get(shown.size() - 1).botId())
            : Optional.empty();
    return new CommandStatus(command, shown, next);
  }

  private static BotfleetException notFound(String field, String value) {
    return BotfleetException.notFound(
        "BOT_NOT_FOUND",
        "no bot with " + field + " " + value,
        Map.of(field.equals("name") ? "name" : "bot_id", value));
  }
}
