package io.botfleet.fleet.service;

import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.domain.FleetEventTypes;
import io.botfleet.fleet.domain.OutgoingCommand;
import io.botfleet.fleet.persistence.CommandRepository;
import io.botfleet.fleet.persistence.ConnectionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Status changes that come from the bots themselves: connecting their command stream. */
@ApplicationScoped
public class BotStatusService {

  @Inject ConnectionRepository connections;
  @Inject CommandRepository commands;
  @Inject FleetEvents events;

  /**
   * What connecting bots get.
   *
   * @param commandSeqs each bot's last command sequence (bots missing here are not in the fleet)
   * @param backlog each bot's open commands, in the order to send them
   */
  public record Loaded(Map<String, Long> commandSeqs, Map<String, List<OutgoingCommand>> backlog) {}

  /**
   * Records that bots connected to {@code replica} (a pending bot becomes active, or what it was
   * told to be) and reads what they must still receive.
   */
  public Loaded connect(List<String> botIds, String replica) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              List<ConnectionRepository.Connected> connected = connections.connect(botIds, replica);
              Map<String, Long> seqs = new HashMap<>();
              for (ConnectionRepository.Connected bot : connected) {
                seqs.put(bot.botId(), bot.commandSeq());
                if (bot.previous() != bot.status()) {
                  statusChanged(
                      bot.botId(),
                      bot.name(),
                      bot.previous(),
                      bot.status(),
                      "connected",
                      bot.botId());
                }
              }
              Map<String, List<OutgoingCommand>> backlog =
                  seqs.isEmpty() ? Map.of() : commands.backlog(seqs.keySet());
              return new Loaded(seqs, backlog);
            });
  }

  /** Records a status change in the audit trail. */
  void statusChanged(
      String botId, String name, BotStatus from, BotStatus to, String reason, String actor) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("agent_id", botId);
    payload.put("bot_name", name);
    payload.put("from", from.name().toLowerCase(Locale.ROOT));
    payload.put("to", to.name().toLowerCase(Locale.ROOT));
    payload.put("reason", reason);
    events.record(FleetEventTypes.BOT_STATUS_CHANGED, botId, actor, payload);
  }
}
