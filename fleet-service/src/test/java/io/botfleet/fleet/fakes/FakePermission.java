package io.botfleet.fleet.fakes;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.botfleet.permission.v1.AssignPermissionsRequest;
import io.botfleet.permission.v1.AssignPermissionsResponse;
import io.botfleet.permission.v1.PermissionAssignment;
import io.botfleet.permission.v1.PermissionServiceGrpc;
import io.botfleet.permission.v1.RemovePermissionsRequest;
import io.botfleet.permission.v1.RemovePermissionsResponse;
import io.botfleet.permission.v1.SuspendBotRequest;
import io.botfleet.permission.v1.SuspendBotResponse;
import io.botfleet.permission.v1.SuspensionMode;
import io.botfleet.permission.v1.UnsuspendBotRequest;
import io.botfleet.permission.v1.UnsuspendBotResponse;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-test permission-service: assignments (an exchange without a mapping is refused, as the real
 * one does, naming the field), removal, and suspension in the real one's semantics (STOPPED wins
 * over PAUSED; unsuspending PAUSED leaves stops in force).
 */
public final class FakePermission extends PermissionServiceGrpc.PermissionServiceImplBase {

  /** Exchanges with a mapping (the guide's, plus bybit). */
  static final Set<String> EXCHANGES = Set.of("binance", "okx", "deribit", "bybit");

  public final Recorder recorder = new Recorder();
  private final Map<String, AssignPermissionsRequest> assigned = new ConcurrentHashMap<>();
  private final Map<String, SuspensionMode> suspended = new ConcurrentHashMap<>();

  @Override
  public void assignPermissions(
      AssignPermissionsRequest request, StreamObserver<AssignPermissionsResponse> response) {
    if (recorder.failed("AssignPermissions", request, response)) {
      return;
    }
    if (!EXCHANGES.contains(request.getExchange())) {
      response.onError(
          StatusProto.toStatusRuntimeException(
              com.google.rpc.Status.newBuilder()
                  .setCode(Code.INVALID_ARGUMENT_VALUE)
                  .setMessage("exchange: no mapping for " + request.getExchange())
                  .addDetails(
                      Any.pack(
                          BadRequest.newBuilder()
                              .addFieldViolations(
                                  BadRequest.FieldViolation.newBuilder()
                                      .setField("exchange")
                                      .setDescription(
                                          "has no mapping for tier " + request.getTier()))
                              .build()))
                  .build()));
      return;
    }
    assigned.put(request.getAgentId(), request);
    FakeIdentity.reply(
        response,
        AssignPermissionsResponse.newBuilder()
            .setAssignment(
                PermissionAssignment.newBuilder()
                    .setAgentId(request.getAgentId())
                    .setTier(request.getTier()))
            .build());
  }

  @Override
  public void removePermissions(
      RemovePermissionsRequest request, StreamObserver<RemovePermissionsResponse> response) {
    if (recorder.failed("RemovePermissions", request, response)) {
      return;
    }
    boolean removed = assigned.remove(request.getAgentId()) != null;
    suspended.remove(request.getAgentId());
    FakeIdentity.reply(
        response, RemovePermissionsResponse.newBuilder().setRemoved(removed).build());
  }

  @Override
  public void suspendBot(SuspendBotRequest request, StreamObserver<SuspendBotResponse> response) {
    if (recorder.failed("SuspendBot", request, response)) {
      return;
    }
    for (String id : request.getAgentIdsList()) {
      suspended.merge(
          id,
          request.getMode(),
          (old, mode) -> old == SuspensionMode.SUSPENSION_MODE_STOPPED ? old : mode);
    }
    FakeIdentity.reply(
        response,
        SuspendBotResponse.newBuilder().setSuspendedCount(request.getAgentIdsCount()).build());
  }

  @Override
  public void unsuspendBot(
      UnsuspendBotRequest request, StreamObserver<UnsuspendBotResponse> response) {
    if (recorder.failed("UnsuspendBot", request, response)) {
      return;
    }
    int lifted = 0;
    for (String id : request.getAgentIdsList()) {
      SuspensionMode mode = suspended.get(id);
      if (mode == null) {
        continue;
      }
      if (request.getMode() == SuspensionMode.SUSPENSION_MODE_PAUSED
          && mode == SuspensionMode.SUSPENSION_MODE_STOPPED) {
        continue;
      }
      suspended.remove(id);
      lifted++;
    }
    FakeIdentity.reply(
        response, UnsuspendBotResponse.newBuilder().setUnsuspendedCount(lifted).build());
  }

  /** The bot's suspension now (UNSPECIFIED if none). */
  public SuspensionMode suspension(String agentId) {
    return suspended.getOrDefault(agentId, SuspensionMode.SUSPENSION_MODE_UNSPECIFIED);
  }

  /** True if the bot holds permissions. */
  public boolean assigned(String agentId) {
    return assigned.containsKey(agentId);
  }
}
