package io.botfleet.sdk;

import io.botfleet.sdk.command.AssumeResponsibilityCommand;
import io.botfleet.sdk.command.CommandHandler;
import io.botfleet.sdk.command.CommandResult;
import io.botfleet.sdk.command.CustomCommand;
import io.botfleet.sdk.command.EmergencyStopCommand;
import io.botfleet.sdk.command.KeyRotatedEvent;
import io.botfleet.sdk.command.PauseCommand;
import io.botfleet.sdk.command.ResumeCommand;
import io.botfleet.sdk.command.ShutdownCommand;
import io.botfleet.sdk.command.UpdateVersionCommand;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A bot for the tests: records every command it is handed (type and sequence) and every safe-mode
 * call, and can be told to block in a command or to fail.
 */
class RecordingBot implements CommandHandler, SafeModeListener, Supplier<Metrics> {

  final List<String> applied = new CopyOnWriteArrayList<>();
  final List<SafeModeEpisode> entered = new CopyOnWriteArrayList<>();
  final List<SafeModeEpisode> exited = new CopyOnWriteArrayList<>();
  final List<KeyRotatedEvent> rotations = new CopyOnWriteArrayList<>();
  final AtomicLong trades = new AtomicLong();
  volatile String version = "2.4.1";
  volatile boolean dormant;
  volatile CountDownLatch blockCustom;
  volatile boolean failShutdown;

  @Override
  public CommandResult pause(PauseCommand command) {
    applied.add("pause#" + command.info().sequence());
    return CommandResult.done();
  }

  @Override
  public CommandResult resume(ResumeCommand command) {
    applied.add("resume#" + command.info().sequence());
    return CommandResult.done();
  }

  @Override
  public CommandResult emergencyStop(EmergencyStopCommand command) {
    applied.add("emergency_stop#" + command.info().sequence());
    return CommandResult.done(java.util.Map.of("orders_cancelled", 3));
  }

  @Override
  public CommandResult shutdown(ShutdownCommand command) {
    applied.add("shutdown#" + command.info().sequence());
    return failShutdown
        ? CommandResult.failed("positions could not be closed")
        : CommandResult.done();
  }

  @Override
  public CommandResult assumeResponsibility(AssumeResponsibilityCommand command) {
    applied.add("assume_responsibility#" + command.info().sequence());
    dormant = false;
    return CommandResult.done();
  }

  @Override
  public CommandResult updateVersion(UpdateVersionCommand command) {
    applied.add("update_version#" + command.info().sequence());
    version = command.newVersion();
    return CommandResult.done();
  }

  @Override
  public CommandResult custom(CustomCommand command) {
    applied.add(command.type() + "#" + command.info().sequence());
    switch (command.type()) {
      case "slow" -> {
        CountDownLatch latch = blockCustom;
        try {
          if (latch != null) {
            latch.await();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return CommandResult.done();
      }
      case "explode" -> throw new IllegalStateException("exchange said no");
      case "noted" -> {
        return CommandResult.done();
      }
      default -> {
        return CommandHandler.super.custom(command);
      }
    }
  }

  @Override
  public void keyRotated(KeyRotatedEvent event) {
    rotations.add(event);
  }

  @Override
  public void enterSafeMode(SafeModeEpisode episode) {
    entered.add(episode);
  }

  @Override
  public void exitSafeMode(SafeModeEpisode episode) {
    exited.add(episode);
  }

  @Override
  public Metrics get() {
    if (dormant) {
      return null;
    }
    return Metrics.builder()
        .version(version)
        .pnlUsd(new BigDecimal("12.34"))
        .tradeCount(trades.incrementAndGet())
        .drawdownPct(1.5)
        .heartbeatLatencyMs(42)
        .memoryMb(300)
        .cpuPct(12)
        .custom("spread_bps", 3.5)
        .build();
  }

  /** Applied commands of a type, e.g. "pause". */
  long count(String type) {
    return applied.stream().filter(entry -> entry.startsWith(type + "#")).count();
  }
}
