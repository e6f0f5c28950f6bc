package io.botfleet.sdk;

import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC channels to the control plane. A bot normally lets its {@link BotfleetClient} open its
 * own; a process that runs many bots (the fleet simulator) opens one {@code Connections} and hands
 * it to every client, so that thousands of bots share a few HTTP/2 connections, each carrying many
 * streams. Every client signs with its own key on top of the shared channels.
 *
 * <p>HTTP/2 servers limit the streams of one connection (often to 100), and a bot holds two streams
 * open (three once it checks permissions), each on the connection to its own service; {@link
 * #open(Endpoints, int, Executor)} spreads clients over several connections per endpoint for that
 * reason.
 */
public final class Connections implements AutoCloseable {

  /** Keepalive ping interval of the channels {@link #open} makes. */
  public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(30);

  /** The five channels one client uses. */
  record Slot(
      Channel fleet, Channel identity, Channel permission, Channel health, Channel billing) {}

  private final List<Slot> slots;
  private final List<ManagedChannel> owned;
  private final AtomicInteger next = new AtomicInteger();

  private Connections(List<Slot> slots, List<ManagedChannel> owned) {
    this.slots = List.copyOf(slots);
    this.owned = List.copyOf(owned);
  }

  /** One connection per endpoint: what a single bot needs. */
  public static Connections open(Endpoints endpoints) {
    return open(endpoints, 1, null, DEFAULT_KEEPALIVE);
  }

  /**
   * {@code perEndpoint} connections to each endpoint; clients are spread over them in turn.
   *
   * @param endpoints where the services are
   * @param perEndpoint connections per endpoint, from 1
   * @param callbackExecutor runs gRPC callbacks (null: grpc-java's shared cached pool)
   */
  public static Connections open(Endpoints endpoints, int perEndpoint, Executor callbackExecutor) {
    return open(endpoints, perEndpoint, callbackExecutor, DEFAULT_KEEPALIVE);
  }

  /**
   * As {@link #open(Endpoints, int, Executor)}, with the keepalive ping interval: a connection that
   * stops answering pings is closed and the streams reconnect, instead of waiting on a dead socket.
   * Zero turns pings off. The server must permit pings this often (grpc-java's Netty server allows
   * one per 5 minutes unless {@code permitKeepAliveTime} says otherwise).
   */
  public static Connections open(
      Endpoints endpoints, int perEndpoint, Executor callbackExecutor, Duration keepAlive) {
    Objects.requireNonNull(endpoints, "endpoints");
    if (perEndpoint < 1) {
      throw new IllegalArgumentException("perEndpoint must be >= 1, got " + perEndpoint);
    }
    List<ManagedChannel> owned = new ArrayList<>();
    List<Slot> slots = new ArrayList<>();
    for (int i = 0; i < perEndpoint; i++) {
      ManagedChannel fleet = channel(endpoints.fleet(), callbackExecutor, keepAlive);
      ManagedChannel identity = channel(endpoints.identity(), callbackExecutor, keepAlive);
      ManagedChannel permission = channel(endpoints.permission(), callbackExecutor, keepAlive);
      ManagedChannel health = channel(endpoints.health(), callbackExecutor, keepAlive);
      ManagedChannel billing = channel(endpoints.billing(), callbackExecutor, keepAlive);
      owned.addAll(List.of(fleet, identity, permission, health, billing));
      slots.add(new Slot(fleet, identity, permission, health, billing));
    }
    return new Connections(slots, owned);
  }

  /**
   * Channels the caller built and owns (custom TLS, in-process channels in tests): {@link #close()}
   * leaves them open.
   */
  public static Connections of(
      Channel fleet, Channel identity, Channel permission, Channel health, Channel billing) {
    return new Connections(
        List.of(
            new Slot(
                Objects.requireNonNull(fleet, "fleet"),
                Objects.requireNonNull(identity, "identity"),
                Objects.requireNonNull(permission, "permission"),
                Objects.requireNonNull(health, "health"),
                Objects.requireNonNull(billing, "billing"))),
        List.of());
  }

  /** The channels for the next client, in turn. */
  Slot nextSlot() {
    return slots.get(Math.floorMod(next.getAndIncrement(), slots.size()));
  }

  /** Closes the channels this object opened, waiting up to 5 s for calls to end. */
  @Override
  public void close() {
    owned.forEach(ManagedChannel::shutdown);
    for (ManagedChannel channel : owned) {
      try {
        if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        channel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static ManagedChannel channel(
      URI endpoint, Executor callbackExecutor, Duration keepAlive) {
    ChannelCredentials credentials =
        Endpoints.isTls(endpoint)
            ? TlsChannelCredentials.create()
            : InsecureChannelCredentials.create();
    ManagedChannelBuilder<?> builder =
        Grpc.newChannelBuilder(Endpoints.target(endpoint), credentials)
            .userAgent("botfleet-bot-sdk");
    if (!keepAlive.isZero()) {
      // A black-holed connection (no RST, no FIN) is found by pings, so that the streams
      // reconnect instead of waiting forever on a dead socket.
      builder
          .keepAliveTime(keepAlive.toMillis(), TimeUnit.MILLISECONDS)
          .keepAliveTimeout(10, TimeUnit.SECONDS);
    }
    if (callbackExecutor != null) {
      builder.executor(callbackExecutor);
    }
    return builder.build();
  }
}
