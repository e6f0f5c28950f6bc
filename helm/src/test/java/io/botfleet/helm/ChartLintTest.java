package io.botfleet.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** helm lint --strict and helm template over every ci/*-values.yaml scenario. */
class ChartLintTest {

  static List<Path> scenarios() {
    return Chart.scenarios();
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void lintsStrictWithoutFindings(Path scenario) {
    LintResult result = Chart.lint(scenario);

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    assertThat(result.getMessages())
        .as("lint findings")
        .noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void rendersToKubernetesObjects(Path scenario) {
    Rendered rendered = Chart.render(scenario);

    assertThat(rendered.objects()).isNotEmpty();
  }
}
