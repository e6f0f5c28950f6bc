package io.botfleet.deploy.grpc;

import com.google.protobuf.Timestamp;
import io.botfleet.deploy.domain.DeploymentBot;
import io.botfleet.deploy.domain.DeploymentDetail;
import io.botfleet.deploy.domain.DeploymentSummary;
import io.botfleet.deploy.domain.GateResult;
import io.botfleet.deploy.domain.VersionMap;
import io.botfleet.deploy.v1.AnalysisResult;
import io.botfleet.deploy.v1.BotDeploymentState;
import io.botfleet.deploy.v1.Deployment;
import io.botfleet.deploy.v1.DeploymentState;
import io.botfleet.deploy.v1.GetVersionMapResponse;
import io.botfleet.deploy.v1.Selector;
import io.botfleet.deploy.v1.Strategy;
import io.botfleet.deploy.v1.VersionBots;
import java.time.Instant;

/** Translates between deploy.v1 messages and the service's own types. */
final class DeploymentMapper {

  private DeploymentMapper() {}

  static Deployment toProto(DeploymentSummary d) {
    return builder(d).build();
  }

  static Deployment toProto(DeploymentDetail detail) {
    Deployment.Builder proto = builder(detail.summary());
    detail.bots().forEach(b -> proto.addBots(toProto(b)));
    detail.gates().forEach(g -> proto.addGates(toProto(g)));
    return proto.build();
  }

  private static Deployment.Builder builder(DeploymentSummary d) {
    Deployment.Builder proto =
        Deployment.newBuilder()
            .setId(d.id())
            .setVersion(d.version())
            .setArtifactRef(d.artifactRef())
            .setSelector(Selector.newBuilder().setScope(RolloutMapper.toProto(d.selector())))
            .setGroup(d.group() == null ? "" : d.group())
            .setStrategy(Strategy.valueOf("STRATEGY_" + d.strategy().name()))
            .setParameters(RolloutMapper.toProto(d.parameters()))
            .addAllSteps(RolloutMapper.toProto(d.plan()))
            .setState(toProto(d.state()))
            .setCurrentStep(d.currentStep())
            .setCanaryBotId(d.canaryBotId() == null ? "" : d.canaryBotId())
            .setCanaryBotName(d.canaryBotName() == null ? "" : d.canaryBotName())
            .setRequestedBy(d.requestedBy())
            .setReason(d.reason() == null ? "" : d.reason())
            .setCreateTime(toTimestamp(d.createdAt()));
    if (d.pausedFrom() != null) {
      proto.setPausedFrom(toProto(d.pausedFrom()));
    }
    if (d.startedAt() != null) {
      proto.setStartTime(toTimestamp(d.startedAt()));
    }
    if (d.endedAt() != null) {
      proto.setEndTime(toTimestamp(d.endedAt()));
    }
    if (d.retainPreviousUntil() != null) {
      proto.setRetainPreviousUntilTime(toTimestamp(d.retainPreviousUntil()));
    }
    return proto;
  }

  static io.botfleet.deploy.v1.DeploymentBot toProto(DeploymentBot b) {
    io.botfleet.deploy.v1.DeploymentBot.Builder proto =
        io.botfleet.deploy.v1.DeploymentBot.newBuilder()
            .setBotId(b.botId())
            .setBotName(b.botName())
            .setPreviousVersion(b.previousVersion())
            .setState(BotDeploymentState.valueOf("BOT_DEPLOYMENT_STATE_" + b.state().name()))
            .setBatch(b.batch())
            .setCommandId(b.commandId() == null ? "" : b.commandId())
            .setMessage(b.message() == null ? "" : b.message());
    if (b.updatedAt() != null) {
      proto.setUpdateTime(toTimestamp(b.updatedAt()));
    }
    return proto.build();
  }

  static io.botfleet.deploy.v1.GateResult toProto(GateResult g) {
    return io.botfleet.deploy.v1.GateResult.newBuilder()
        .setStep(g.step())
        .setResult(AnalysisResult.valueOf("ANALYSIS_RESULT_" + g.result().name()))
        .addAllReasons(g.reasons())
        .setDecideTime(toTimestamp(g.decidedAt()))
        .build();
  }

  static GetVersionMapResponse toProto(VersionMap map) {
    GetVersionMapResponse.Builder proto = GetVersionMapResponse.newBuilder().setSkew(map.skew());
    map.versions()
        .forEach(
            e ->
                proto.addVersions(
                    VersionBots.newBuilder().setVersion(e.version()).addAllBotNames(e.botNames())));
    return proto.build();
  }

  static DeploymentState toProto(io.botfleet.deploy.domain.DeploymentState state) {
    return DeploymentState.valueOf("DEPLOYMENT_STATE_" + state.name());
  }

  static io.botfleet.deploy.domain.DeploymentState toDomain(DeploymentState state) {
    return io.botfleet.deploy.domain.DeploymentState.valueOf(
        state.name().substring("DEPLOYMENT_STATE_".length()));
  }

  static Timestamp toTimestamp(Instant time) {
    return Timestamp.newBuilder()
        .setSeconds(time.getEpochSecond())
        .setNanos(time.getNano())
        .build();
  }
}
