package io.botfleet.deploy.sim;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SimulatedFleet} behind fake fleet-service and health-service gRPC servers (and any other
 * fake service a test adds) on one free loopback port.
 */
public final class SimulatedFleetServer implements AutoCloseable {

  private final SimulatedFleet fleet = new SimulatedFleet();
  private final Server server;

  private SimulatedFleetServer(BindableService... extra) {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new FakeFleetService(fleet))
            .addService(new FakeHealthService(fleet));
    for (BindableService service : extra) {
      builder.addService(service);
    }
    try {
      server = builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the simulated fleet", e);
    }
  }

  /** Starts the fakes, and {@code extra} services on the same port. */
  public static SimulatedFleetServer start(BindableService... extra) {
    return new SimulatedFleetServer(extra);
  }

  /** The simulation. */
  public SimulatedFleet fleet() {
    return fleet;
  }

  /** The port. */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    fleet.close();
  }
}
