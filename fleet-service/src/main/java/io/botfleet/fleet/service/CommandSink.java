package io.botfleet.fleet.service;

import io.botfleet.fleet.domain.OutgoingCommand;

/**
 * One bot's open command stream, as the dispatcher writes to it (the gRPC adapter implements it).
 */
public interface CommandSink {

  /** Writes a command; never blocks. */
  void send(OutgoingCommand command);

  /** True if the stream can take more now (flow control). */
  boolean ready();

  /** Ends the stream with an error the bot can act on. */
  void refuse(String reason, String message);
}
