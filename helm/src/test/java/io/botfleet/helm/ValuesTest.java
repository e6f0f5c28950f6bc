package io.botfleet.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.yaml documents every value; values.schema.json refuses wrong ones at install. */
class ValuesTest {

  /**
   * Every value is documented: a comment right above it, or above the block it belongs to when the
   * block is one value (resources, a security context, an example list).
   */
  @Test
  void everyValueHasACommentAboveIt() {
    List<String> lines = Chart.read("helm/botfleet/values.yaml").lines().toList();
    List<String> undocumented = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String trimmed = lines.get(i).strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("- ")) {
        continue;
      }
      int next = i + 1;
      while (next < lines.size()
          && (lines.get(next).isBlank() || lines.get(next).strip().startsWith("#"))) {
        next++;
      }
      boolean parent =
          next < lines.size()
              && indentOf(lines.get(next)) > indentOf(lines.get(i))
              && trimmed.endsWith(":");
      if (parent) {
        continue; // its values are checked one by one
      }
      if (!documented(lines, i)) {
        undocumented.add((i + 1) + ": " + lines.get(i));
      }
    }
    assertThat(undocumented).as("values without a comment").isEmpty();
  }

  /** The line or one of its enclosing blocks has a comment right above it, or is a list item. */
  private static boolean documented(List<String> lines, int index) {
    int indent = indentOf(lines.get(index));
    for (int i = index; i >= 0; i--) {
      String line = lines.get(i);
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      if (i != index && indentOf(line) >= indent) {
        continue;
      }
      if (i != index && line.strip().startsWith("- ")) {
        return true;
      }
      if (i > 0 && lines.get(i - 1).strip().startsWith("#")) {
        return true;
      }
      indent = indentOf(line);
      if (indent == 0) {
        return false;
      }
    }
    return false;
  }

  private static int indentOf(String line) {
    return line.length() - line.stripLeading().length();
  }

  @Test
  void theDefaultsAloneAskForTheDatabase() {
    assertThatThrownBy(() -> Chart.template(null))
        .hasMessageContaining("host")
        .hasMessageContaining("existingSecret");
  }

  @ParameterizedTest
  @CsvSource({
    "fleet.port, http, port",
    "fleet.replicas, 3, replicas",
    "deploy.autoscaling.enabled, true, autoscaling",
    "global.podAntiAffinity, sometimes, podAntiAffinity",
    "global.podSecurityContext.runAsNonRoot, false, runAsNonRoot",
    "fleet.resources.limits, null, limits",
    "ingress.hosts[0].routes, some, routes",
    "global.database.rolePrefix, Bot-Fleet, rolePrefix",
    "deploy.image.digest, latest, digest",
  })
  void aWrongValueFailsBeforeAnythingIsInstalled(String key, String value, String named) {
    Object typed = value.equals("null") ? null : value;
    assertThatThrownBy(
            () ->
                Chart.template(
                    ServicesTest.MINIMAL, java.util.Collections.singletonMap(key, typed)))
        .as(key + "=" + value)
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(named);
  }

  @Test
  void greenHelixNeedsItsKeySecret() {
    assertThatThrownBy(
            () -> Chart.template(ServicesTest.MINIMAL, Map.of("global.greenhelix.enabled", true)))
        .hasMessageContaining("existingSecret");
  }

  @Test
  void theGatewayNeedsAParent() {
    assertThatThrownBy(() -> Chart.template(ServicesTest.MINIMAL, Map.of("gateway.enabled", true)))
        .hasMessageContaining("parentRefs");
  }
}
