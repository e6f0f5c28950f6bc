package io.botfleet.fleet.service;

import io.botfleet.common.config.GreenHelixConfig;
import io.botfleet.common.greenhelix.Outbox;
import io.botfleet.fleet.domain.Command;
import io.botfleet.fleet.persistence.CommandRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Mirrors every command to GreenHelix as the guide does: one send_message per bot (GreenHelix
 * messages have one recipient, and calls are billed per agent). Queued in the outbox by this sweep,
 * after the command commits, rather than in the command's own transaction: a fleet-wide emergency
 * stop must not wait for 10,000 outbox rows. The command row records whether its messages are
 * queued, so none is lost to a crash and none is queued twice.
 */
@ApplicationScoped
public class CommandMirror {

  @Inject CommandRepository commands;
  @Inject Outbox outbox;
  @Inject FleetEvents events;
  @Inject GreenHelixConfig greenHelix;

  /** Queues the messages of commands not mirrored yet; returns how many commands. */
  public int mirrorPending() {
    int mirrored = 0;
    while (QuarkusTransaction.requiringNew().call(this::mirrorOne)) {
      mirrored++;
    }
    return mirrored;
  }

  private boolean mirrorOne() {
    var next = commands.lockOldestUnmirrored();
    if (next.isEmpty()) {
      return false;
    }
    UUID id = next.get();
    if (greenHelix.enabled()) {
      Command command = commands.find(id).orElseThrow();
      String from = events.fleetManagerId();
      List<Outbox.Call> calls = new ArrayList<>();
      for (CommandRepository.Target target : commands.targets(id)) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("from_agent_id", from);
        input.put("to_agent_id", target.botId());
        input.put("message_type", "command");
        input.put("payload", command.payload());
        calls.add(new Outbox.Call(target.botId(), input));
      }
      outbox.enqueueAll("send_message", calls);
    }
    commands.markMirrored(id);
    return true;
  }
}
