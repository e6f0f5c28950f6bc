package io.botfleet.sdk;

import io.botfleet.sdk.fake.FakeControlPlane;
import java.nio.file.Path;
import java.time.Duration;

/** Clients wired to a fake control plane with the short timings tests need. */
final class TestClients {

  private TestClients() {}

  /** A client that enrolls as {@code name} into {@code keyFile} if needed. */
  static BotfleetClientBuilder enrolling(
      FakeControlPlane plane, RecordingBot bot, Path keyFile, String name) {
    return base(plane, bot).keyFile(keyFile).enrollment(name, plane.issueToken(name));
  }

  /**
   * A client over a real local port ({@link FakeControlPlane#onLocalPort()}) that enrolls as {@code
   * name} into {@code keyFile} if needed.
   */
  static BotfleetClientBuilder enrollingOverNetwork(
      FakeControlPlane plane, RecordingBot bot, Path keyFile, String name) {
    return timings(BotfleetClient.builder().endpoints(plane.endpoints()), bot)
        .keyFile(keyFile)
        .enrollment(name, plane.issueToken(name));
  }

  /** Short heartbeat, dead-man and backoff times. */
  static BotfleetClientBuilder base(FakeControlPlane plane, RecordingBot bot) {
    return timings(BotfleetClient.builder().connections(plane.connections()), bot);
  }

  private static BotfleetClientBuilder timings(BotfleetClientBuilder builder, RecordingBot bot) {
    return builder
        .metrics(bot)
        .commandHandler(bot)
        .safeModeListener(bot)
        .heartbeatInterval(Duration.ofMillis(100))
        .deadManAfter(Duration.ofSeconds(2))
        .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .callTimeout(Duration.ofSeconds(5))
        .fillFlushInterval(Duration.ofMillis(100));
  }
}
