package io.botfleet.health.grpc;

import com.google.protobuf.Duration;
import io.botfleet.health.domain.ErrorBudget;
import io.botfleet.health.domain.SlaCheck;
import io.botfleet.health.domain.SlaFinding;
import io.botfleet.health.domain.SlaMeasurement;
import io.botfleet.health.domain.SlaTargets;
import io.botfleet.health.service.SlaService;
import io.botfleet.health.v1.GetSlaComplianceResponse;
import io.botfleet.health.v1.GetSlaReportResponse;
import io.botfleet.health.v1.SlaReportEntry;
import io.botfleet.health.v1.SlaReportSummary;
import io.botfleet.health.v1.SlaSeverity;
import io.botfleet.health.v1.SlaStatus;
import io.botfleet.health.v1.SlaWindow;

/** Translates SLA types between health.v1 and the domain. */
final class SlaMapper {

  private SlaMapper() {}

  static SlaTargets toDomain(io.botfleet.health.v1.SlaTargets p) {
    return new SlaTargets(
        p.getUptimePct(), p.getMaxDrawdownPct(), p.getMinTradesPerDay(), p.getMaxLatencyMs());
  }

  static io.botfleet.health.v1.SlaTargets toProto(SlaTargets t) {
    return io.botfleet.health.v1.SlaTargets.newBuilder()
        .setUptimePct(t.uptimePct())
        .setMaxDrawdownPct(t.maxDrawdownPct())
        .setMinTradesPerDay(t.minTradesPerDay())
        .setMaxLatencyMs(t.maxLatencyMs())
        .build();
  }

  static io.botfleet.health.domain.SlaWindow toDomain(SlaWindow window) {
    return switch (window) {
      case SLA_WINDOW_1H -> io.botfleet.health.domain.SlaWindow.HOUR_1;
      case SLA_WINDOW_UNSPECIFIED, SLA_WINDOW_24H -> io.botfleet.health.domain.SlaWindow.HOURS_24;
      case SLA_WINDOW_7D -> io.botfleet.health.domain.SlaWindow.DAYS_7;
      case SLA_WINDOW_30D -> io.botfleet.health.domain.SlaWindow.DAYS_30;
      case SLA_WINDOW_CALENDAR_MONTH -> io.botfleet.health.domain.SlaWindow.CALENDAR_MONTH;
      case UNRECOGNIZED ->
          throw new io.botfleet.common.error.InvalidArgumentException(
              "window", "is not an SLA window");
    };
  }

  static SlaWindow toProto(io.botfleet.health.domain.SlaWindow window) {
    return switch (window) {
      case HOUR_1 -> SlaWindow.SLA_WINDOW_1H;
      case HOURS_24 -> SlaWindow.SLA_WINDOW_24H;
      case DAYS_7 -> SlaWindow.SLA_WINDOW_7D;
      case DAYS_30 -> SlaWindow.SLA_WINDOW_30D;
      case CALENDAR_MONTH -> SlaWindow.SLA_WINDOW_CALENDAR_MONTH;
    };
  }

  static GetSlaComplianceResponse toProto(SlaService.Compliance c) {
    GetSlaComplianceResponse.Builder b =
        GetSlaComplianceResponse.newBuilder()
            .setBotId(c.bot().botId())
            .setBotName(c.bot().name())
            .setStatus(toProto(c.check().status()))
            .setCheckedTime(HeartbeatMapper.timestamp(c.checkedAt()))
            .setWindow(toProto(c.window()))
            .setMeasured(toProto(c.measured()));
    c.check().violations().forEach(f -> b.addViolations(toProto(f)));
    c.check().warnings().forEach(f -> b.addWarnings(toProto(f)));
    if (c.bot().targets() != null) {
      b.setTargets(toProto(c.bot().targets()));
    }
    if (c.budget() != null) {
      b.setErrorBudget(toProto(c.budget()));
    }
    return b.build();
  }

  static GetSlaReportResponse toProto(SlaService.Report report) {
    GetSlaReportResponse.Builder b =
        GetSlaReportResponse.newBuilder()
            .setMonth(report.month().toString())
            .setCreateTime(HeartbeatMapper.timestamp(report.createdAt()));
    for (SlaService.ReportEntry e : report.entries()) {
      SlaReportEntry.Builder entry =
          SlaReportEntry.newBuilder()
              .setBotId(e.bot().botId())
              .setBotName(e.bot().name())
              .setGroup(e.bot().group())
              .setTargets(toProto(e.bot().targets()))
              .setMeasured(toProto(e.measured()))
              .setCompliant(e.check().status() == SlaCheck.Status.COMPLIANT)
              .setReliabilityScore(e.reliabilityScore());
      e.check().violations().forEach(f -> entry.addViolations(toProto(f)));
      e.greenhelixReputation().ifPresent(entry::setGreenhelixReputationScore);
      b.addBots(entry);
    }
    int compliant = report.compliant();
    b.setSummary(
        SlaReportSummary.newBuilder()
            .setTotalBotsWithSla(report.entries().size())
            .setCompliant(compliant)
            .setInViolation(report.entries().size() - compliant));
    return b.build();
  }

  static io.botfleet.health.v1.SlaMeasurement toProto(SlaMeasurement m) {
    return io.botfleet.health.v1.SlaMeasurement.newBuilder()
        .setUptimePct(round(m.uptimePct(), 4))
        .setMaxDrawdownPct(m.maxDrawdownPct())
        .setTradesPerDay(round(m.tradesPerDay().orElse(0), 2))
        .setP99LatencyMs(m.p99LatencyMs().orElse(0))
        .setCoveredMinutes(m.coveredMinutes())
        .build();
  }

  static io.botfleet.health.v1.SlaFinding toProto(SlaFinding f) {
    return io.botfleet.health.v1.SlaFinding.newBuilder()
        .setMetric(f.metric())
        .setTarget(f.target())
        .setActual(round(f.actual(), 4))
        .setSeverity(
            switch (f.severity()) {
              case WARNING -> SlaSeverity.SLA_SEVERITY_WARNING;
              case VIOLATION -> SlaSeverity.SLA_SEVERITY_VIOLATION;
              case CRITICAL -> SlaSeverity.SLA_SEVERITY_CRITICAL;
            })
        .setMessage(f.message())
        .build();
  }

  static io.botfleet.health.v1.ErrorBudget toProto(ErrorBudget b) {
    return io.botfleet.health.v1.ErrorBudget.newBuilder()
        .setAllowedDowntime(duration(b.allowed()))
        .setConsumedDowntime(duration(b.consumed()))
        .setRemainingPct(round(b.remainingPct(), 2))
        .setBurnRate1H(round(b.burnRate1h(), 3))
        .setBurnRate6H(round(b.burnRate6h(), 3))
        .build();
  }

  private static SlaStatus toProto(SlaCheck.Status status) {
    return switch (status) {
      case COMPLIANT -> SlaStatus.SLA_STATUS_COMPLIANT;
      case VIOLATION -> SlaStatus.SLA_STATUS_VIOLATION;
      case NO_SLA_DEFINED -> SlaStatus.SLA_STATUS_NO_SLA_DEFINED;
    };
  }

  private static Duration duration(java.time.Duration d) {
    return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
