package io.botfleet.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Services reach only what they call; bots reach only the services that have RPCs for bots. */
class NetworkPolicyTest {

  /** Services with RPCs that admit bots (derived from the protos). */
  static Set<String> servicesForBots() {
    return Protos.botMethods().stream()
        .map(m -> m.substring("botfleet.".length(), m.indexOf('.', "botfleet.".length())))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static NetworkPolicy policy(Rendered rendered, String service) {
    return rendered.get(NetworkPolicy.class, Rendered.objectName(service));
  }

  /** Botfleet components a rule's peers select by the component label. */
  static Set<String> components(List<NetworkPolicyPeer> peers) {
    Set<String> components = new TreeSet<>();
    for (NetworkPolicyPeer peer : peers == null ? List.<NetworkPolicyPeer>of() : peers) {
      if (peer.getPodSelector() == null || peer.getNamespaceSelector() != null) {
        continue;
      }
      Map<String, String> labels = peer.getPodSelector().getMatchLabels();
      if (!"botfleet".equals(labels.get("app.kubernetes.io/name"))) {
        continue;
      }
      if (labels.containsKey("app.kubernetes.io/component")) {
        components.add(labels.get("app.kubernetes.io/component"));
      }
      for (LabelSelectorRequirement r : peer.getPodSelector().getMatchExpressions()) {
        if (r.getKey().equals("app.kubernetes.io/component") && r.getOperator().equals("In")) {
          components.addAll(r.getValues());
        }
      }
    }
    return components;
  }

  static boolean admitsNamespace(NetworkPolicyIngressRule rule, String namespace) {
    return rule.getFrom().stream()
        .anyMatch(
            p ->
                p.getNamespaceSelector() != null
                    && namespace.equals(
                        p.getNamespaceSelector()
                            .getMatchLabels()
                            .get("kubernetes.io/metadata.name")));
  }

  @Test
  void eachServiceAdmitsExactlyTheServicesThatCallIt() {
    Rendered rendered = Chart.render(ServicesTest.PRODUCTION);
    for (String service : Chart.SERVICES) {
      Set<String> callers = new TreeSet<>();
      ServicesTest.CALLEES.forEach(
          (caller, callees) -> {
            if (callees.contains(service)) {
              callers.add(caller);
            }
          });
      Set<String> admitted = new TreeSet<>();
      for (NetworkPolicyIngressRule rule : policy(rendered, service).getSpec().getIngress()) {
        admitted.addAll(components(rule.getFrom()));
        assertThat(rule.getPorts())
            .extracting(p -> p.getPort().getIntVal())
            .containsOnly(port(service));
      }
      assertThat(admitted).as(service + " admits").isEqualTo(callers);
    }
  }

  @Test
  void eachServiceReachesExactlyItsCalleesOnTheirPorts() {
    Rendered rendered = Chart.render(ServicesTest.PRODUCTION);
    for (String service : Chart.SERVICES) {
      Set<String> reached = new TreeSet<>();
      for (NetworkPolicyEgressRule rule : policy(rendered, service).getSpec().getEgress()) {
        Set<String> targets = components(rule.getTo());
        for (String target : targets) {
          assertThat(rule.getPorts())
              .extracting(p -> p.getPort().getIntVal())
              .containsExactly(port(target));
        }
        reached.addAll(targets);
      }
      assertThat(reached)
          .as(service + " reaches")
          .isEqualTo(new TreeSet<>(ServicesTest.CALLEES.get(service)));
    }
  }

  @Test
  void botsReachOnlyTheServicesThatHaveRpcsForThem() {
    Rendered rendered = Chart.render(ServicesTest.PRODUCTION);
    assertThat(servicesForBots())
        .doesNotContain("deploy")
        .contains("fleet", "health", "billing", "identity");
    for (String service : Chart.SERVICES) {
      boolean admitsBots =
          policy(rendered, service).getSpec().getIngress().stream()
              .anyMatch(r -> admitsNamespace(r, "bots"));
      assertThat(admitsBots)
          .as(service + " admits bots")
          .isEqualTo(servicesForBots().contains(service));
    }
  }

  @Test
  void operatorsIngressAndPrometheusReachEveryService() {
    Rendered rendered = Chart.render(ServicesTest.PRODUCTION);
    for (String service : Chart.SERVICES) {
      var rules = policy(rendered, service).getSpec().getIngress();
      for (String namespace : List.of("trading-ops", "ingress-nginx", "monitoring")) {
        assertThat(rules.stream().anyMatch(r -> admitsNamespace(r, namespace)))
            .as(service + " from " + namespace)
            .isTrue();
      }
    }
  }

  @Test
  void theRestGatewaysIngressAloneAdmitsTheControllerToFleetServiceOnly() {
    Rendered rendered =
        Chart.render(
            ServicesTest.MINIMAL,
            Map.of(
                "apiIngress.enabled",
                true,
                "global.networkPolicy.ingressController[0].namespaceSelector.matchLabels"
                    + ".kubernetes\\.io/metadata\\.name",
                "ingress-nginx"));
    for (String service : Chart.SERVICES) {
      var rules = policy(rendered, service).getSpec().getIngress();
      assertThat(rules.stream().anyMatch(r -> admitsNamespace(r, "ingress-nginx")))
          .as(service + " from the ingress controller")
          .isEqualTo(service.equals("fleet"));
    }
  }

  @Test
  void nothingOutsideTheCallGraphIsAdmittedWhenNoPeersAreConfigured() {
    Rendered rendered = Chart.render(ServicesTest.MINIMAL);
    for (String service : Chart.SERVICES) {
      for (NetworkPolicyIngressRule rule : policy(rendered, service).getSpec().getIngress()) {
        assertThat(rule.getFrom()).as(service).isNotEmpty();
        assertThat(components(rule.getFrom())).as(service).isNotEmpty();
      }
    }
    // billing-service is called only by fleet's REST gateway (cost routes): it admits fleet and,
    // until operators are configured, nobody else.
    List<NetworkPolicyIngressRule> billing = policy(rendered, "billing").getSpec().getIngress();
    Set<String> admitted = new TreeSet<>();
    billing.forEach(rule -> admitted.addAll(components(rule.getFrom())));
    assertThat(admitted).containsExactly("fleet");
    assertThat(policy(rendered, "billing").getSpec().getPolicyTypes()).contains("Ingress");
  }

  @Test
  void httpsLeavesOnlyForGreenHelixAndHealthWebhooks() {
    Rendered minimal = Chart.render(ServicesTest.MINIMAL);
    for (String service : Chart.SERVICES) {
      boolean https =
          policy(minimal, service).getSpec().getEgress().stream()
              .anyMatch(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 443));
      assertThat(https)
          .as(service + " HTTPS egress without GreenHelix")
          .isEqualTo(service.equals("health"));
    }
    Rendered production = Chart.render(ServicesTest.PRODUCTION);
    for (String service : Chart.SERVICES) {
      assertThat(
              policy(production, service).getSpec().getEgress().stream()
                  .anyMatch(
                      r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 443)))
          .as(service + " HTTPS egress with GreenHelix")
          .isTrue();
    }
  }

  @Test
  void theInClusterDatabaseAdmitsOnlyTheSixServices() {
    Rendered rendered = Chart.render(ServicesTest.IN_CLUSTER);
    NetworkPolicy database = rendered.get(NetworkPolicy.class, "botfleet-postgresql");
    assertThat(database.getSpec().getIngress()).hasSize(1);
    assertThat(components(database.getSpec().getIngress().get(0).getFrom()))
        .isEqualTo(new TreeSet<>(Chart.SERVICES));
    assertThat(database.getSpec().getEgress()).isEmpty();
    for (String service : Chart.SERVICES) {
      assertThat(
              policy(rendered, service).getSpec().getEgress().stream()
                  .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 5432))
                  .flatMap(r -> components(r.getTo()).stream())
                  .toList())
          .containsExactly("postgresql");
    }
  }

  @Test
  void policiesCanBeLeftToTheCluster() {
    assertThat(Chart.render(ServicesTest.GATEWAY).all(NetworkPolicy.class)).isEmpty();
  }

  static int port(String service) {
    return Map.of(
            "fleet",
            8080,
            "identity",
            8081,
            "permission",
            8082,
            "health",
            8083,
            "deploy",
            8084,
            "billing",
            8085)
        .get(service);
  }
}
