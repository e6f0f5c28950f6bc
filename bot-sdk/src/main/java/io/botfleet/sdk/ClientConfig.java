package io.botfleet.sdk;

import io.botfleet.sdk.command.CommandHandler;
import io.botfleet.signing.Credentials;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/** Everything a {@link BotfleetClientBuilder} collected, checked. */
record ClientConfig(
    Endpoints endpoints,
    Connections connections,
    Path keyFile,
    Credentials credentials,
    String name,
    String enrollmentName,
    String enrollmentToken,
    Supplier<Metrics> metrics,
    CommandHandler handler,
    SafeModeListener safeMode,
    Duration heartbeatInterval,
    Duration heartbeatAnswerTimeout,
    Duration deadManAfter,
    Duration reconnectInitial,
    Duration reconnectMax,
    Duration callTimeout,
    Duration enrollTimeout,
    Duration fillFlushInterval,
    Path commandJournal,
    boolean journalInMemory,
    ScheduledExecutorService scheduler,
    Executor commandExecutor,
    Clock clock) {

  /** The tick of the client: often enough for the heartbeat and the dead-man time. */
  long tickMillis() {
    long tick = Math.min(deadManAfter.toMillis() / 10, heartbeatInterval.toMillis() / 4);
    return Math.max(20, Math.min(1000, tick));
  }

  /** How long a stream must stay open to count as working when nothing arrives on it. */
  long confirmMillis() {
    return Math.max(50, Math.min(2000, deadManAfter.toMillis() / 4));
  }

  /** Where the command journal lives, or null for memory only. */
  Path journalFile() {
    if (journalInMemory) {
      return null;
    }
    if (commandJournal != null) {
      return commandJournal;
    }
    return keyFile == null ? null : keyFile.resolveSibling(keyFile.getFileName() + ".journal");
  }
}
