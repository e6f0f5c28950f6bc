package io.botfleet.fleet.grpc;

import io.botfleet.fleet.domain.OutgoingCommand;
import io.botfleet.fleet.service.Warmup;
import io.botfleet.fleet.v1.StreamCommandsResponse;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * For the start-up warm-up: converts and serializes commands exactly as a stream would, then drops
 * them.
 */
@ApplicationScoped
public class WarmupCommandSink implements Warmup.WarmupSink {

  private volatile int bytes;

  @Override
  public void send(OutgoingCommand command) {
    bytes +=
        StreamCommandsResponse.newBuilder()
            .setCommand(CommandMapper.toBotCommand(command))
            .build()
            .toByteArray()
            .length;
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public void refuse(String reason, String message) {}
}
