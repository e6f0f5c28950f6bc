package io.botfleet.billing.grpc;

import io.botfleet.billing.domain.BotCostSummary;
import io.botfleet.billing.domain.BotRoi;
import io.botfleet.billing.domain.CostCategory;
import io.botfleet.billing.domain.FillReport;
import io.botfleet.billing.domain.FleetCostSummary;
import io.botfleet.billing.domain.Money;
import io.botfleet.billing.domain.Recommendation;
import io.botfleet.billing.v1.BotCost;
import io.botfleet.billing.v1.FillRejection;
import io.botfleet.billing.v1.GetBotCostSummaryResponse;
import io.botfleet.billing.v1.GetFleetCostSummaryResponse;
import io.botfleet.billing.v1.ReportFillsResponse;
import io.botfleet.billing.v1.Roi;
import java.math.BigDecimal;
import java.util.Map;

/** Translates reports (summaries, ROI, fill results) into billing.v1 messages. */
final class ReportMapper {

  private ReportMapper() {}

  static GetBotCostSummaryResponse toProto(BotCostSummary summary) {
    GetBotCostSummaryResponse.Builder proto =
        GetBotCostSummaryResponse.newBuilder()
            .setBotId(summary.botId())
            .setBotName(nullToEmpty(summary.botName()))
            .putAllCostsByCategory(byCategory(summary.byCategory()))
            .setTotalCostUsd(Money.format(summary.total()))
            .setPeriod(PeriodMapper.toProto(summary.period()));
    if (summary.budgetUsd() != null) {
      proto
          .setBudgetUsd(Money.format(summary.budgetUsd()))
          .setBudgetUtilizationPct(summary.utilizationPct().toPlainString());
    }
    return proto.build();
  }

  static GetFleetCostSummaryResponse toProto(FleetCostSummary summary) {
    GetFleetCostSummaryResponse.Builder proto =
        GetFleetCostSummaryResponse.newBuilder()
            .setTotalFleetCostUsd(Money.format(summary.total()))
            .putAllCostsByCategory(byCategory(summary.byCategory()))
            .putAllCostsByGroup(formatted(summary.byGroup()))
            .putAllCostsByStrategy(formatted(summary.byStrategy()))
            .putAllCostsByExchange(formatted(summary.byExchange()))
            .setPeriod(PeriodMapper.toProto(summary.period()));
    summary
        .byBot()
        .forEach(
            bot ->
                proto.addCostsByBot(
                    BotCost.newBuilder()
                        .setBotId(bot.botId())
                        .setBotName(nullToEmpty(bot.botName()))
                        .setTotalCostUsd(Money.format(bot.total()))));
    return proto.build();
  }

  static Roi toProto(BotRoi roi) {
    return Roi.newBuilder()
        .setBotId(roi.bot().id())
        .setBotName(roi.bot().name())
        .setGroup(roi.bot().group())
        .setStrategy(roi.bot().strategy())
        .setExchange(roi.bot().exchange())
        .setGrossPnlUsd(Money.format(roi.roi().grossPnlUsd()))
        .setTotalCostUsd(Money.format(roi.roi().totalCostUsd()))
        .setNetPnlUsd(Money.format(roi.roi().netPnlUsd()))
        .setRoiPct(roi.roi().costless() ? "0" : roi.roi().roiPct().toPlainString())
        .setRecommendation(toProto(roi.recommendation()))
        .build();
  }

  static ReportFillsResponse toProto(FillReport report) {
    ReportFillsResponse.Builder proto =
        ReportFillsResponse.newBuilder()
            .setAccepted(report.accepted())
            .setDuplicates(report.duplicates())
            .setFeesUsd(Money.format(report.feesUsd()));
    report
        .rejected()
        .forEach(
            r ->
                proto.addRejected(
                    FillRejection.newBuilder()
                        .setFillId(nullToEmpty(r.fillId()))
                        .setField(r.field())
                        .setDescription(r.description())));
    return proto.build();
  }

  private static io.botfleet.billing.v1.Recommendation toProto(Recommendation recommendation) {
    return switch (recommendation) {
      case SHUT_DOWN -> io.botfleet.billing.v1.Recommendation.RECOMMENDATION_SHUT_DOWN;
      case OPTIMISE -> io.botfleet.billing.v1.Recommendation.RECOMMENDATION_OPTIMISE;
      case SCALE -> io.botfleet.billing.v1.Recommendation.RECOMMENDATION_SCALE;
      case KEEP -> io.botfleet.billing.v1.Recommendation.RECOMMENDATION_KEEP;
    };
  }

  private static Map<String, String> byCategory(Map<CostCategory, BigDecimal> sums) {
    Map<String, String> proto = new java.util.TreeMap<>();
    sums.forEach((category, sum) -> proto.put(category.guideName(), Money.format(sum)));
    return proto;
  }

  private static Map<String, String> formatted(Map<String, BigDecimal> sums) {
    Map<String, String> proto = new java.util.TreeMap<>();
    sums.forEach((key, sum) -> proto.put(key, Money.format(sum)));
    return proto;
  }

  private static String nullToEmpty(String text) {
    return text == null ? "" : text;
  }
}
