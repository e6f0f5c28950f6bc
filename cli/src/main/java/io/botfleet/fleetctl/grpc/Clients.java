package io.botfleet.fleetctl.grpc;

import io.botfleet.billing.v1.BillingServiceGrpc;
import io.botfleet.common.v1.AuditServiceGrpc;
import io.botfleet.deploy.v1.DeployServiceGrpc;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleetctl.config.ClientConfig;
import io.botfleet.fleetctl.config.Service;
import io.botfleet.health.v1.FleetHealthServiceGrpc;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SigningClientInterceptor;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The stubs of the six services, signed with the operator's key, each call with its deadline. One
 * channel per distinct address: with a gateway, every service shares one connection.
 */
public final class Clients implements AutoCloseable {

  /** The header a gateway routes AuditService calls by (docs/kubernetes.md). */
  public static final Metadata.Key<String> SERVICE_HEADER =
      Metadata.Key.of("x-botfleet-service", Metadata.ASCII_STRING_MARSHALLER);

  private final ClientConfig config;
  private final Credentials credentials;
  private final Duration timeout;
  private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();

  /**
   * Clients for {@code config}'s endpoints.
   *
   * @param credentials the operator's key, or null for the public RPCs only (init)
   * @param timeout the deadline of each unary call
   */
  public Clients(ClientConfig config, Credentials credentials, Duration timeout) {
    this.config = config;
    this.credentials = credentials;
    this.timeout = timeout;
  }

  /** The deadline of unary calls. */
  public Duration timeout() {
    return timeout;
  }

  /** Who signs, or null. */
  public Credentials credentials() {
    return credentials;
  }

  /** fleet-service. */
  public FleetServiceGrpc.FleetServiceBlockingStub fleet() {
    return FleetServiceGrpc.newBlockingStub(channel(Service.FLEET)).withDeadline(deadline());
  }

  /** identity-service. */
  public IdentityServiceGrpc.IdentityServiceBlockingStub identity() {
    return IdentityServiceGrpc.newBlockingStub(channel(Service.IDENTITY)).withDeadline(deadline());
  }

  /** permission-service. */
  public PermissionServiceGrpc.PermissionServiceBlockingStub permission() {
    return PermissionServiceGrpc.newBlockingStub(channel(Service.PERMISSION))
        .withDeadline(deadline());
  }

  /** health-service. */
  public FleetHealthServiceGrpc.FleetHealthServiceBlockingStub health() {
    return FleetHealthServiceGrpc.newBlockingStub(channel(Service.HEALTH)).withDeadline(deadline());
  }

  /** health-service without a deadline, for WatchHealth (runs until stopped). */
  public FleetHealthServiceGrpc.FleetHealthServiceBlockingStub healthWatch() {
    return FleetHealthServiceGrpc.newBlockingStub(channel(Service.HEALTH));
  }

  /** deploy-service. */
  public DeployServiceGrpc.DeployServiceBlockingStub deploy() {
    return DeployServiceGrpc.newBlockingStub(channel(Service.DEPLOY)).withDeadline(deadline());
  }

  /** deploy-service without a deadline, for WatchDeployment (runs until the deployment ends). */
  public DeployServiceGrpc.DeployServiceBlockingStub deployWatch() {
    return DeployServiceGrpc.newBlockingStub(channel(Service.DEPLOY));
  }

  /** billing-service. */
  public BillingServiceGrpc.BillingServiceBlockingStub billing() {
    return BillingServiceGrpc.newBlockingStub(channel(Service.BILLING)).withDeadline(deadline());
  }

  /**
   * The AuditService of one service. The call names the service in {@code x-botfleet-service}, so
   * that a gateway in front of all six routes it to the right one.
   */
  public AuditServiceGrpc.AuditServiceBlockingStub audit(Service service) {
    Metadata headers = new Metadata();
    headers.put(SERVICE_HEADER, service.key());
    return AuditServiceGrpc.newBlockingStub(channel(service))
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadline(deadline());
  }

  /** The endpoint a service is reached at. */
  public String endpoint(Service service) {
    return config.endpoint(service);
  }

  private long deadlineMillis() {
    return timeout.toMillis();
  }

  private io.grpc.Deadline deadline() {
    return io.grpc.Deadline.after(deadlineMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized Channel channel(Service service) {
    String endpoint = config.endpoint(service);
    ManagedChannel channel = channels.computeIfAbsent(endpoint, Clients::open);
    List<ClientInterceptor> interceptors = new ArrayList<>();
    // Named first so that it sees the final status (interceptors run last-to-first).
    interceptors.add(new ServiceContextInterceptor(service, endpoint));
    if (credentials != null) {
      interceptors.add(new SigningClientInterceptor(new RequestSigner(() -> credentials)));
    }
    return ClientInterceptors.intercept(channel, interceptors);
  }

  private static ManagedChannel open(String endpoint) {
    URI uri = ClientConfig.checkEndpoint(endpoint, "endpoint");
    boolean tls = uri.getScheme().equals("https");
    int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
    String host = uri.getHost().contains(":") ? "[" + uri.getHost() + "]" : uri.getHost();
    ChannelCredentials credentials =
        tls ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
    return Grpc.newChannelBuilder(host + ":" + port, credentials)
        .userAgent("fleetctl")
        .maxInboundMessageSize(64 * 1024 * 1024)
        .build();
  }

  @Override
  public synchronized void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel channel : channels.values()) {
      try {
        channel.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
