package io.botfleet.deploy.grpc;

import com.google.protobuf.Timestamp;
import io.botfleet.deploy.domain.DeploymentSummary;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.deploy.v1.Strategy;
import java.time.Instant;

/** Translates between deploy.v1 messages and the service's own types. */
final class DeploymentMapper {

  private DeploymentMapper() {}

  static Deployment toProto(DeploymentSummary d) {
    Deployment.Builder proto =
        Deployment.newBuilder()
            .setId(d.id())
            .setVersion(d.version())
            .setArtifactRef(d.artifactRef())
            .setGroup(d.group() == null ? "" : d.group())
            .setStrategy(Strategy.valueOf("STRATEGY_" + d.strategy().name()))
            .setState(toProto(d.state()))
            .setCurrentStep(d.currentStep())
            .setCanaryBotId(d.canaryBotId() == null ? "" : d.canaryBotId())
            .setCanaryBotName(d.canaryBotName() == null ? "" : d.canaryBotName())
            .setRequestedBy(d.requestedBy())
            .setReason(d.reason() == null ? "" : d.reason())
            .setCreateTime(toTimestamp(d.createdAt()));
    if (d.startedAt() != null) {
      proto.setStartTime(toTimestamp(d.startedAt()));
    }
    if (d.endedAt() != null) {
      proto.setEndTime(toTimestamp(d.endedAt()));
    }
    return proto.build();
  }

  static DeploymentState toProto(io.botfleet.deploy.domain.DeploymentState state) {
    return DeploymentState.valueOf("DEPLOYMENT_STATE_" + state.name());
  }

  static io.botfleet.deploy.domain.DeploymentState toDomain(DeploymentState state) {
    return io.botfleet.deploy.domain.DeploymentState.valueOf(
        state.name().substring("DEPLOYMENT_STATE_".length()));
  }

  private static Timestamp toTimestamp(Instant time) {
    return Timestamp.newBuilder()
        .setSeconds(time.getEpochSecond())
        .setNanos(time.getNano())
        .build();
  }
}
