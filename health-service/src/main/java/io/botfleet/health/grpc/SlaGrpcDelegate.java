package io.botfleet.health.grpc;

import io.botfleet.common.auth.Caller;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.common.error.Violations;
import io.botfleet.health.service.SlaService;
import io.botfleet.health.v1.GetSlaComplianceRequest;
import io.botfleet.health.v1.GetSlaComplianceResponse;
import io.botfleet.health.v1.GetSlaReportRequest;
import io.botfleet.health.v1.GetSlaReportResponse;
import io.botfleet.health.v1.SetSlaTargetsRequest;
import io.botfleet.health.v1.SetSlaTargetsResponse;
import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The SLA RPCs of health.v1 (part of the adapter). */
@ApplicationScoped
class SlaGrpcDelegate {

  @Inject SlaService sla;

  void setSlaTargets(SetSlaTargetsRequest request, StreamObserver<SetSlaTargetsResponse> response) {
    Violations violations = new Violations();
    switch (request.getSubjectCase()) {
      case BOT_ID -> violations.require(!request.getBotId().isEmpty(), "bot_id", "is required");
      case GROUP -> violations.require(!request.getGroup().isEmpty(), "group", "is required");
      case SUBJECT_NOT_SET -> violations.add("subject", "set bot_id or group");
    }
    violations.require(request.hasTargets(), "targets", "is required");
    violations.throwIfAny();
    boolean bot = request.getSubjectCase() == SetSlaTargetsRequest.SubjectCase.BOT_ID;
    var stored =
        sla.setTargets(
            bot ? request.getBotId() : null,
            bot ? null : request.getGroup(),
            SlaMapper.toDomain(request.getTargets()));
    response.onNext(
        SetSlaTargetsResponse.newBuilder().setTargets(SlaMapper.toProto(stored)).build());
    response.onCompleted();
  }

  void getSlaCompliance(
      GetSlaComplianceRequest request, StreamObserver<GetSlaComplianceResponse> response) {
    if (request.getBotId().isEmpty()) {
      throw new InvalidArgumentException("bot_id", "is required");
    }
    Caller.requireSelfIfBot(request.getBotId());
    var compliance = sla.compliance(request.getBotId(), SlaMapper.toDomain(request.getWindow()));
    response.onNext(SlaMapper.toProto(compliance));
    response.onCompleted();
  }

  void getSlaReport(GetSlaReportRequest request, StreamObserver<GetSlaReportResponse> response) {
    if (request.getMonth().isEmpty()) {
      throw new InvalidArgumentException("month", "is required, e.g. \"2026-11\"");
    }
    response.onNext(SlaMapper.toProto(sla.report(request.getMonth())));
    response.onCompleted();
  }
}
