package io.botfleet.sdk;

import io.botfleet.fleet.v1.AckState;
import io.botfleet.fleet.v1.BotCommand;
import io.botfleet.fleet.v1.CommandAck;
import io.botfleet.sdk.CommandJournal.Entry;
import io.botfleet.sdk.CommandJournal.State;
import io.botfleet.sdk.command.CommandHandler;
import io.botfleet.sdk.command.CommandInfo;
import io.botfleet.sdk.command.CommandResult;
import io.botfleet.sdk.command.EmergencyStopCommand;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Turns the commands of the command stream into handler calls and acknowledgements: each sequence
 * is handed over at most once (the journal answers repeats), expired commands are refused unseen,
 * emergency stops take the urgent lane and everything else the normal lane, one at a time in
 * arrival order; ACCEPTED is sent when the handler is called, DONE, FAILED or REJECTED when it
 * returns, journaled before it is sent.
 */
final class CommandProcessor {

  private static final System.Logger LOG = System.getLogger(CommandProcessor.class.getName());
  private static final int MAX_MESSAGE = 1024;

  /**
   * Commands that may run again if a restart interrupted them: repeating them is harmless, and an
   * emergency stop or a pause must rather happen twice than not at all. Others are reported FAILED.
   */
  private static final Set<String> REPEATABLE =
      Set.of("pause", "resume", "emergency_stop", "rotate_key");

  /** Where acknowledgements go (the command stream). */
  interface AckSink {
    /** Sends an ack; {@code last} marks the final one of a command. */
    void send(CommandAck ack, boolean last);
  }

  /** What the client does around some commands. */
  interface Hooks {
    /** Carries out {@code rotate_key}. */
    CommandResult rotateKey(CommandInfo info, String rotationId);

    /** Destroys the key file and forgets the key (destroy_local_keys). */
    void destroyLocalKeys() throws Exception;

    /** The final ack of a command that ends the client (shutdown, destroyed keys) was sent. */
    void endClient(String why);
  }

  private final String bot;
  private final CommandHandler handler;
  private final CommandJournal journal;
  private final Executor normalLane;
  private final Executor urgentLane;
  private final Clock clock;
  private final AckSink acks;
  private final Hooks hooks;
  private final Set<Long> active = ConcurrentHashMap.newKeySet();
  private final Set<Long> running = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;
  private volatile long lastSequence;

  CommandProcessor(
      String bot,
      CommandHandler handler,
      CommandJournal journal,
      Executor normalLane,
      Executor urgentLane,
      Clock clock,
      AckSink acks,
      Hooks hooks) {
    this.bot = bot;
    this.handler = handler;
    this.journal = journal;
    this.normalLane = normalLane;
    this.urgentLane = urgentLane;
    this.clock = clock;
    this.acks = acks;
    this.hooks = hooks;
  }

  /** Stops handing commands over (the client is closing). */
  void stop() {
    stopped = true;
  }

  /** The highest sequence received. */
  long lastSequence() {
    return lastSequence;
  }

  /** A command from the stream (gRPC's thread: never blocks). */
  void receive(BotCommand command) {
    if (stopped) {
      return;
    }
    long sequence = command.getSequence();
    lastSequence = Math.max(lastSequence, sequence);
    synchronized (this) {
      if (active.contains(sequence)) {
        if (running.contains(sequence)) {
          // Delivered again while being carried out (a reconnect): it is accepted, not repeated.
          send(command.getCommandId(), sequence, AckState.ACK_STATE_ACCEPTED, "", false);
        }
        return;
      }
      Optional<Entry> known = journal.find(sequence);
      if (known.isPresent()) {
        Entry entry = known.get();
        if (!entry.commandId().equals(command.getCommandId())) {
          finalAck(
              command,
              State.REJECTED,
              "sequence " + sequence + " was already used by command " + entry.commandId());
          return;
        }
        if (entry.state() != State.STARTED) {
          send(entry.commandId(), sequence, entry.state().ackState(), entry.message(), true);
          return;
        }
        if (!REPEATABLE.contains(entry.type())) {
          finish(
              CommandPayloads.info(command),
              new CommandResult(
                  CommandResult.Outcome.FAILED,
                  "interrupted by a restart of the bot; not repeated, since it may have taken"
                      + " effect",
                  null));
          return;
        }
        LOG.log(
            System.Logger.Level.INFO,
            "{0}: {1} #{2} was interrupted by a restart; carrying it out again",
            bot,
            entry.type(),
            sequence);
      } else if (journal.forgotten(sequence)) {
        finalAck(
            command, State.REJECTED, "sequence " + sequence + " is older than the bot's journal");
        return;
      }
      active.add(sequence);
    }
    CommandInfo info = CommandPayloads.info(command);
    Executor lane = "emergency_stop".equals(info.type()) ? urgentLane : normalLane;
    lane.execute(() -> run(info));
  }

  private void run(CommandInfo info) {
    long sequence = info.sequence();
    try {
      if (stopped) {
        return;
      }
      Instant now = clock.instant();
      if (info.expireTime() != null && now.isAfter(info.expireTime())) {
        LOG.log(
            System.Logger.Level.WARNING,
            "{0}: {1} #{2} expired at {3}; not carried out",
            bot,
            info.type(),
            sequence,
            info.expireTime());
        finish(
            info,
            CommandResult.rejected(
                "expired at " + info.expireTime() + " before the bot could carry it out"));
        return;
      }
      Action action;
      try {
        action = prepare(info);
      } catch (CommandPayloads.InvalidPayload invalid) {
        finish(info, CommandResult.rejected(invalid.getMessage()));
        return;
      }
      journal.started(sequence, info.id(), info.type());
      running.add(sequence);
      send(info.id(), sequence, AckState.ACK_STATE_ACCEPTED, "", false);
      LOG.log(System.Logger.Level.INFO, "{0}: {1} #{2} accepted", bot, info.type(), sequence);
      CommandResult result;
      try {
        result = action.run();
        if (result == null) {
          result = CommandResult.failed("the handler returned no result");
        }
      } catch (Exception | Error e) {
        LOG.log(
            System.Logger.Level.ERROR,
            bot + ": handler failed on " + info.type() + " #" + sequence,
            e);
        result = CommandResult.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      boolean destroyKeys = action.destroysKeys();
      if (destroyKeys) {
        try {
          hooks.destroyLocalKeys();
        } catch (Exception e) {
          LOG.log(System.Logger.Level.ERROR, bot + ": could not destroy the local keys", e);
          result = CommandResult.failed("could not destroy the local keys: " + e.getMessage());
        }
      }
      finish(info, result);
      if (destroyKeys) {
        hooks.endClient("local keys destroyed by emergency_stop");
      } else if ("shutdown".equals(info.type()) && result.outcome() == CommandResult.Outcome.DONE) {
        // A bot that could not wind down stays connected, so that it can still be stopped.
        hooks.endClient("shut down by the control plane");
      }
    } finally {
      running.remove(sequence);
      active.remove(sequence);
    }
  }

  /** A command ready to hand over. */
  private interface Action {
    CommandResult run() throws Exception;

    default boolean destroysKeys() {
      return false;
    }
  }

  private Action prepare(CommandInfo info) throws CommandPayloads.InvalidPayload {
    switch (info.type()) {
      case "pause" -> {
        var command = CommandPayloads.pause(info);
        return () -> handler.pause(command);
      }
      case "resume" -> {
        var command = CommandPayloads.resume(info);
        return () -> handler.resume(command);
      }
      case "emergency_stop" -> {
        EmergencyStopCommand command = CommandPayloads.emergencyStop(info);
        return new Action() {
          @Override
          public CommandResult run() {
            return handler.emergencyStop(command);
          }

          @Override
          public boolean destroysKeys() {
            return command.destroysLocalKeys();
          }
        };
      }
      case "shutdown" -> {
        var command = CommandPayloads.shutdown(info);
        return () -> handler.shutdown(command);
      }
      case "rotate_key" -> {
        String rotationId = CommandPayloads.rotationId(info);
        return () -> hooks.rotateKey(info, rotationId);
      }
      case "assume_responsibility" -> {
        var command = CommandPayloads.assumeResponsibility(info);
        return () -> handler.assumeResponsibility(command);
      }
      case "update_version" -> {
        var command = CommandPayloads.updateVersion(info);
        return () -> handler.updateVersion(command);
      }
      case "rollback_version" -> {
        var command = CommandPayloads.rollbackVersion(info);
        return () -> handler.rollbackVersion(command);
      }
      default -> {
        var command = CommandPayloads.custom(info);
        return () -> handler.custom(command);
      }
    }
  }

  private void finish(CommandInfo info, CommandResult result) {
    State state =
        switch (result.outcome()) {
          case DONE -> State.DONE;
          case FAILED -> State.FAILED;
          case REJECTED -> State.REJECTED;
        };
    String message = truncate(result.message());
    journal.finished(info.sequence(), info.id(), info.type(), state, message);
    CommandAck.Builder ack =
        CommandAck.newBuilder()
            .setCommandId(info.id())
            .setSequence(info.sequence())
            .setState(state.ackState())
            .setMessage(message);
    if (!result.result().isEmpty()) {
      ack.setResult(CommandPayloads.struct(result.result()));
    }
    LOG.log(
        state == State.DONE ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
        "{0}: {1} #{2} {3}{4}",
        bot,
        info.type(),
        info.sequence(),
        state,
        message.isEmpty() ? "" : ": " + message);
    acks.send(ack.build(), true);
  }

  /** A final ack that is not journaled: the sequence's journal entry (if any) is another's. */
  private void finalAck(BotCommand command, State state, String message) {
    LOG.log(
        System.Logger.Level.WARNING,
        "{0}: {1} #{2} {3}: {4}",
        bot,
        command.getType(),
        command.getSequence(),
        state,
        message);
    send(command.getCommandId(), command.getSequence(), state.ackState(), message, true);
  }

  private void send(String commandId, long sequence, AckState state, String message, boolean last) {
    acks.send(
        CommandAck.newBuilder()
            .setCommandId(commandId)
            .setSequence(sequence)
            .setState(state)
            .setMessage(message)
            .build(),
        last);
  }

  private static String truncate(String message) {
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE);
  }
}
