package io.botfleet.fleet.grpc;

import com.google.protobuf.Timestamp;
import io.botfleet.fleet.domain.BotStatus;
import io.botfleet.fleet.domain.FleetStatus;
import io.botfleet.fleet.v1.GetFleetStatusResponse;
import io.botfleet.fleet.v1.StatusCounts;
import java.util.Map;

/** Translates between fleet.v1 messages and the service's own types. */
final class FleetMapper {

  private FleetMapper() {}

  static GetFleetStatusResponse toProto(FleetStatus status) {
    GetFleetStatusResponse.Builder proto =
        GetFleetStatusResponse.newBuilder()
            .setFleetManager(status.fleetManager())
            .setTotalBots(status.totalBots())
            .setStatusCounts(toCounts(status.statusCounts()))
            .setTimestamp(
                Timestamp.newBuilder()
                    .setSeconds(status.timestamp().getEpochSecond())
                    .setNanos(status.timestamp().getNano()));
    status.groupCounts().forEach((group, counts) -> proto.putGroupCounts(group, toCounts(counts)));
    return proto.build();
  }

  private static StatusCounts toCounts(Map<BotStatus, Integer> counts) {
    return StatusCounts.newBuilder()
        .setActive(counts.getOrDefault(BotStatus.ACTIVE, 0))
        .setPaused(counts.getOrDefault(BotStatus.PAUSED, 0))
        .setStopped(counts.getOrDefault(BotStatus.STOPPED, 0))
        .setDead(counts.getOrDefault(BotStatus.DEAD, 0))
        .setPending(counts.getOrDefault(BotStatus.PENDING, 0))
        .setStandby(counts.getOrDefault(BotStatus.STANDBY, 0))
        .build();
  }
}
