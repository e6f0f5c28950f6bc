package io.botfleet.fleet.fakes;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * identity-service, permission-service, health-service, deploy-service and billing-service as small
 * in-test gRPC servers on one free loopback port: they record every call (and who signed it), can
 * be told to fail, and keep just enough state to answer as the real services would.
 */
public final class FakeServices implements AutoCloseable {

  /** The bf-agent header of the call being handled. */
  static final Context.Key<String> CALLER = Context.key("fake-caller");

  /** Every header of the call being handled (to check its signature). */
  static final Context.Key<Metadata> HEADERS = Context.key("fake-headers");

  private static final Metadata.Key<String> AGENT =
      Metadata.Key.of("bf-agent", Metadata.ASCII_STRING_MARSHALLER);

  public final FakeIdentity identity = new FakeIdentity();
  public final FakePermission permission = new FakePermission();
  public final FakeHealth health = new FakeHealth();
  public final FakeDeploy deploy = new FakeDeploy();
  public final FakeBilling billing = new FakeBilling();
  private final Server server;

  private FakeServices(int port) {
    ServerInterceptor caller =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            String agent = headers.get(AGENT);
            return Contexts.interceptCall(
                Context.current().withValues(CALLER, agent == null ? "" : agent, HEADERS, headers),
                call,
                headers,
                next);
          }
        };
    try {
      server =
          NettyServerBuilder.forAddress(
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
              .addService(ServerInterceptors.intercept(identity, caller))
              .addService(ServerInterceptors.intercept(permission, caller))
              .addService(ServerInterceptors.intercept(health, caller))
              .addService(ServerInterceptors.intercept(deploy, caller))
              .addService(ServerInterceptors.intercept(billing, caller))
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake services", e);
    }
  }

  /** Starts the fakes on a free port. */
  public static FakeServices start() {
    return new FakeServices(0);
  }

  /** Starts the fakes on a given port. */
  public static FakeServices start(int port) {
    return new FakeServices(port);
  }

  /** Their port. */
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
  }
}
