package io.botfleet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultTableTest {

  @Test
  void medianAndQuartilesInterpolateBetweenRanks() {
    double[] sorted = {1, 2, 3, 4};
    assertThat(ResultTable.quantile(sorted, 0.5)).isEqualTo(2.5);
    assertThat(ResultTable.quantile(sorted, 0.25)).isEqualTo(1.75);
    assertThat(ResultTable.quantile(new double[] {7}, 0.99)).isEqualTo(7);
  }

  @Test
  void aGoalBelowALimitSaysByHowMuchTheMedianIsOver() {
    ResultTable.Goal goal = new ResultTable.Goal(true, 100, "p99 < 100 ms");
    assertThat(goal.verdict(new double[] {20, 90, 400})).isEqualTo("met");
    assertThat(goal.verdict(new double[] {100, 150, 160})).isEqualTo("missed: 50 % over the limit");
    assertThat(goal.verdict(new double[] {300, 300, 300})).isEqualTo("missed: 3.0× the limit");
  }

  @Test
  void aGoalAboveALimitSaysHowShortTheMedianFalls() {
    ResultTable.Goal goal = new ResultTable.Goal(false, 20_000, "> 20,000 checks/s");
    assertThat(goal.verdict(new double[] {15_000})).isEqualTo("missed: 25 % short");
    assertThat(goal.verdict(new double[] {2_000})).isEqualTo("missed: 10.0× short");
    assertThat(goal.verdict(new double[] {25_000})).isEqualTo("met");
  }

  @Test
  void aGoalOnTheTailIsJudgedOnTheWorstRun() {
    ResultTable.Goal goal = new ResultTable.Goal(true, 500, "p99 < 0.5 s", true);
    assertThat(goal.verdict(new double[] {100, 200, 600}))
        .isEqualTo("missed (worst run): 20 % over the limit");
    assertThat(goal.verdict(new double[] {100, 200, 400})).isEqualTo("met (worst run)");
  }

  @Test
  void theTableKeepsFiguresInOrderAndNamesWithSlashesWhole() {
    Map<String, List<Double>> values = new LinkedHashMap<>();
    Map<String, String> units = new LinkedHashMap<>();
    values.put("cold start, ./fleet up\tall six ready", List.of(30.0, 10.0, 20.0));
    units.put("cold start, ./fleet up\tall six ready", "s");
    values.put("cold start, ./fleet up\tpostgres", List.of(1.0));
    units.put("cold start, ./fleet up\tpostgres", "s");

    String table = ResultTable.table(values, units);

    assertThat(table)
        .contains("| cold start, ./fleet up | all six ready | s | 3 | 20.0 | 10.0 – 30.0 |  |  |")
        .contains("|  | postgres | s | 1 | 1.00 | 1.00 – 1.00 |  |  |");
  }
}
