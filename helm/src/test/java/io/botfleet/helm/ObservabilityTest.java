package io.botfleet.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Metrics scraping, the Grafana dashboard, and the notes an install prints. */
class ObservabilityTest {

  private static final Pattern METRIC =
      Pattern.compile("\\b(botfleet_[a-z_]+|grpc_[a-z_]+|jvm_[a-z_]+)");

  static JsonNode dashboard() throws Exception {
    return new ObjectMapper().readTree(Chart.read("helm/botfleet/dashboards/botfleet-fleet.json"));
  }

  /** Metric names the dashboard queries, without the _bucket/_count/_sum of one family. */
  static Set<String> dashboardMetrics() throws Exception {
    Set<String> metrics = new TreeSet<>();
    for (JsonNode panel : dashboard().get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher m = METRIC.matcher(target.get("expr").asText());
        while (m.find()) {
          metrics.add(m.group(1).replaceAll("_(bucket|count|sum|max)$", ""));
        }
      }
    }
    return metrics;
  }

  @Test
  void theDashboardShowsWhatAnOperatorWatches() throws Exception {
    Set<String> titles = new TreeSet<>();
    for (JsonNode panel : dashboard().get("panels")) {
      titles.add(panel.get("title").asText());
      if (!panel.get("type").asText().equals("row")) {
        assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
      }
    }
    assertThat(titles)
        .contains(
            "Bots by status",
            "Heartbeats per second",
            "Alerts firing by severity",
            "Command latency (sent → acknowledged)",
            "Deployment progress",
            "Cost today (USD)");
  }

  @Test
  void everyMetricTheDashboardUsesIsNamedInTheDocs() throws Exception {
    String docs = Chart.read("docs/kubernetes.md");
    Set<String> undocumented = new TreeSet<>();
    for (String metric : dashboardMetrics()) {
      if (!docs.contains("`" + metric + "`")) {
        undocumented.add(metric);
      }
    }
    assertThat(dashboardMetrics())
        .contains("botfleet_health_bots", "grpc_server_processing_duration_seconds");
    assertThat(undocumented).as("dashboard metrics missing from docs/kubernetes.md").isEmpty();
  }

  @Test
  void theDashboardShipsAsAConfigMapForGrafanasSidecar() throws Exception {
    Rendered rendered = Chart.render(ServicesTest.PRODUCTION);
    ConfigMap map = rendered.get(ConfigMap.class, "botfleet-dashboard");
    assertThat(map.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(map.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(new ObjectMapper().readTree(map.getData().get("botfleet-fleet.json")))
        .isEqualTo(dashboard());
    assertThat(Chart.render(ServicesTest.MINIMAL).find(ConfigMap.class, "botfleet-dashboard"))
        .isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theServiceMonitorScrapesTheSixServicesOnQuarkusMetricsPath() {
    GenericKubernetesResource monitor =
        Chart.render(ServicesTest.PRODUCTION).get(GenericKubernetesResource.class, "botfleet");
    assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    Map<String, Object> first =
        ((java.util.List<Map<String, Object>>) spec.get("endpoints")).get(0);
    assertThat(first).containsEntry("port", "http").containsEntry("path", "/q/metrics");
  }

  @Test
  void podsCarryPrometheusAnnotationsForTheirPort() {
    Rendered rendered = Chart.render(ServicesTest.MINIMAL);
    for (String service : Chart.SERVICES) {
      var pod = rendered.deployment(service).getSpec().getTemplate();
      assertThat(pod.getMetadata().getAnnotations())
          .containsEntry("prometheus.io/scrape", "true")
          .containsEntry("prometheus.io/path", "/q/metrics")
          .containsEntry(
              "prometheus.io/port",
              String.valueOf(
                  pod.getSpec().getContainers().get(0).getPorts().get(0).getContainerPort()));
    }
  }

  @Test
  void theNotesTellHowToBecomeTheFirstAdministrator() {
    String notes = Chart.notes(ServicesTest.MINIMAL);
    assertThat(notes)
        .contains("fleetctl init --bootstrap-token")
        .contains("/var/run/botfleet/bootstrap/token")
        .contains("kubectl -n trading port-forward svc/botfleet-fleet 8080:8080")
        .contains("botfleet-fleet-key")
        .contains("global.networkPolicy.bots");
    assertThat(Chart.notes(ServicesTest.PRODUCTION))
        .contains("Through the Ingress: botfleet.trading.example.com")
        .contains("https://botfleet.trading.example.com/api/v1/status");
    assertThat(Chart.notes(ServicesTest.IN_CLUSTER)).contains("for trying botfleet");
  }
}
