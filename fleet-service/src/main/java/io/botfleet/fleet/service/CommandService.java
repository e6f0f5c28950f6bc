package io.botfleet.fleet.service;

import io.botfleet.common.db.PgNotifications;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.domain.Command;
import io.botfleet.fleet.domain.Control;
import io.botfleet.fleet.domain.DeliveryState;
import io.botfleet.fleet.domain.OutgoingCommand;
import io.botfleet.fleet.domain.Scope;
import io.botfleet.fleet.persistence.CommandRepository;
import io.botfleet.fleet.persistence.CommandRepository.Target;
import io.botfleet.fleet.persistence.CommandRepository.Transition;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Issues commands: stores the command and one delivery per bot (with the bot's next sequence
 * number, the expiry and the idempotency key) in one transaction, announces it to every replica,
 * and hands it to the streams connected here. Nothing is sent before it is stored.
 */
@ApplicationScoped
public class CommandService {

  /** The NOTIFY channel: "replica:command id" of every command issued. */
  static final String CHANNEL = "fleet_commands";

  @Inject CommandRepository commands;
  @Inject PgNotifications notifications;
  @Inject CommandDispatcher dispatcher;
  @Inject Replica replica;

  /**
   * What to issue.
   *
   * @param type command name
   * @param payload the guide's payload
   * @param scope whom to
   * @param statuses only bots in these statuses
   * @param control only bots the operator last told this (null: any)
   * @param transition status change for the bots reached
   * @param statusReason why their status changes
   * @param ttl how long it may wait for a disconnected bot
   * @param requestId idempotency key (null: none)
   * @param priority ahead of anything queued, and cancels what was queued before it
   * @param actor who issues it
   * @param alsoInTransaction more work that must commit with the command (events, queued calls)
   */
  public record Issue(
      String type,
      Map<String, Object> payload,
      Scope scope,
      Set<BotStatus> statuses,
      Control control,
      Transition transition,
      String statusReason,
      Duration ttl,
      String requestId,
      boolean priority,
      String actor,
      Consumer<Issued> alsoInTransaction) {}

  /**
   * A command issued (or found again by its idempotency key).
   *
   * @param command the command
   * @param targets its deliveries
   * @param replay true if it was issued before with the same request id
   */
  public record Issued(Command command, List<Target> targets, boolean replay) {

    /** The ids of the bots it was addressed to. */
    public List<String> botIds() {
      return targets.stream().map(Target::botId).toList();
    }
  }

  /** Issues a command (or returns the one issued before with the same request id). */
  public Issued issue(Issue issue) {
    if (issue.requestId() != null) {
      Optional<Issued> earlier = replay(issue);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    CommandRepository.NewCommand command =
        new CommandRepository.NewCommand(
            UUID.randomUUID(),
            issue.type(),
            issue.payload(),
            issue.scope(),
            issue.actor(),
            now,
            now.plus(issue.ttl()),
            issue.requestId(),
            issue.priority());
    List<Target> targets;
    long started = System.nanoTime();
    try {
      targets = withDeadlockRetry(() -> store(command, issue));
    } catch (RuntimeException e) {
      if (issue.requestId() != null && isUniqueViolation(e)) {
        // A concurrent call with the same request id won: answer with its command.
        return replay(issue).orElseThrow(() -> e);
      }
      throw e;
    }
    long stored = System.nanoTime();
    dispatcher.fanOut(
        new OutgoingCommand(
            command.id(),
            0,
            command.type(),
            command.payload(),
            command.expiresAt(),
            command.createdAt(),
            command.priority()),
        targets);
    long handedOver = System.nanoTime();
    Log.debugf(
        "%s %s to %d bots: stored in %d ms, handed to the streams here in %d ms",
        command.type(),
        command.id(),
        targets.size(),
        (stored - started) / 1_000_000,
        (handedOver - stored) / 1_000_000);
    Map<DeliveryState, Integer> counts = new EnumMap<>(DeliveryState.class);
    if (!targets.isEmpty()) {
      counts.put(DeliveryState.PENDING, targets.size());
    }
    return new Issued(
        new Command(
            command.id(),
            command.type(),
            command.payload(),
            command.scope(),
            command.issuedBy(),
            command.createdAt(),
            command.expiresAt(),
            command.requestId(),
            command.priority(),
            targets.size(),
            counts),
        targets,
        false);
  }

  private List<Target> store(CommandRepository.NewCommand command, Issue issue) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              long t0 = System.nanoTime();
              List<Target> targets =
                  commands.insert(
                      command,
                      new CommandRepository.Selection(
                          issue.scope(), issue.statuses(), issue.control()),
                      issue.transition(),
                      issue.statusReason());
              long t1 = System.nanoTime();
              if (issue.priority()) {
                commands.cancelSuperseded(
                    targets.stream().map(Target::botId).toList(),
                    "superseded by " + command.type() + " " + command.id());
              }
              long t2 = System.nanoTime();
              if (issue.alsoInTransaction() != null) {
                Command stored =
                    new Command(
                        command.id(),
                        command.type(),
                        command.payload(),
                        command.scope(),
                        command.issuedBy(),
                        command.createdAt(),
                        command.expiresAt(),
                        command.requestId(),
                        command.priority(),
                        targets.size(),
                        Map.of());
                issue.alsoInTransaction().accept(new Issued(stored, targets, false));
              }
              long t3 = System.nanoTime();
              notifications.notify(CHANNEL, replica.id() + ":" + command.id());
              Log.debugf(
                  "store %s: deliveries %d ms, cancel %d ms, events and calls %d ms",
                  command.id(),
                  (t1 - t0) / 1_000_000,
                  (t2 - t1) / 1_000_000,
                  (t3 - t2) / 1_000_000);
              return targets;
            });
  }

  private Optional<Issued> replay(Issue issue) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                commands
                    .findByRequestId(issue.requestId())
                    .map(
                        found -> {
                          if (!found.type().equals(issue.type())) {
                            throw BotfleetException.alreadyExists(
                                "REQUEST_ID_REUSED",
                                "request_id "
                                    + issue.requestId()
                                    + " was used for a "
                                    + found.type()
                                    + " command; use a new request_id for a new command",
                                Map.of("command_id", found.id().toString()));
                          }
                          return new Issued(found, commands.targets(found.id()), true);
                        }));
  }

  /** The command, with where its deliveries stand. */
  public Optional<Command> find(UUID id) {
    return QuarkusTransaction.requiringNew().call(() -> commands.find(id));
  }

  /** Deadlocks between concurrent commands are retried (they cannot happen on the bots rows). */
  private static <T> T withDeadlockRetry(java.util.function.Supplier<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return work.get();
      } catch (RuntimeException e) {
        if (attempt >= 3 || !isSqlState(e, "40P01")) {
          throw e;
        }
        Log.debugf("Deadlock while storing a command; retrying (attempt %d)", attempt + 1);
      }
    }
  }

  static boolean isUniqueViolation(Throwable e) {
    return isSqlState(e, "23505");
  }

  static boolean isSqlState(Throwable e, String state) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
