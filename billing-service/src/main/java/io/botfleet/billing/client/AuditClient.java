package io.botfleet.billing.client;

import com.google.protobuf.Timestamp;
import io.botfleet.billing.config.BillingConfig;
import io.botfleet.billing.domain.AgentUsage;
import io.botfleet.common.v1.AuditServiceGrpc;
import io.botfleet.common.v1.GetGreenHelixUsageRequest;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The common AuditService of the other five services, for the GreenHelix calls their outboxes
 * delivered (billing charges them as API fees). These are the call graph's billing → identity,
 * permission and deploy edges (docs/decisions/0106).
 */
@ApplicationScoped
public class AuditClient {

  /** The services billing reads usage from over gRPC; its own it reads from its tables. */
  public static final List<String> REMOTE_SERVICES =
      List.of("fleet", "identity", "permission", "health", "deploy");

  @GrpcClient("fleet")
  Channel fleet;

  @GrpcClient("identity")
  Channel identity;

  @GrpcClient("permission")
  Channel permission;

  @GrpcClient("health")
  Channel health;

  @GrpcClient("deploy")
  Channel deploy;

  @Inject BillingConfig config;

  /** Calls delivered by {@code service}'s outbox on {@code day} (UTC), per agent and tool. */
  public List<AgentUsage> usage(String service, LocalDate day) {
    Channel channel =
        Map.of(
                "fleet", fleet,
                "identity", identity,
                "permission", permission,
                "health", health,
                "deploy", deploy)
            .get(service);
    if (channel == null) {
      throw new IllegalArgumentException("no AuditService client for " + service);
    }
    try {
      return AuditServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(config.clients().deadline().toMillis(), TimeUnit.MILLISECONDS)
          .getGreenHelixUsage(
              GetGreenHelixUsageRequest.newBuilder()
                  .setStartTime(midnight(day))
                  .setEndTime(midnight(day.plusDays(1)))
                  .build())
          .getUsageList()
          .stream()
          .map(u -> new AgentUsage(u.getAgentId(), u.getTool(), u.getCalls()))
          .toList();
    } catch (StatusRuntimeException e) {
      throw RemoteCalls.failure(service, "GetGreenHelixUsage", e);
    }
  }

  private static Timestamp midnight(LocalDate day) {
    return Timestamp.newBuilder()
        .setSeconds(day.atStartOfDay().toEpochSecond(ZoneOffset.UTC))
        .build();
  }
}
