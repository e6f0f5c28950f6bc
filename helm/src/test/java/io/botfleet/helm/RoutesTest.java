package io.botfleet.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCMethodMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRouteRule;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * One address for botfleet: gRPC routed by path to the service that serves it, and hosts that
 * expose only what bots call. The expected routes come from the protos, so a new RPC for bots fails
 * here until the chart routes it.
 */
class RoutesTest {

  static IngressRule host(Ingress ingress, String host) {
    return ingress.getSpec().getRules().stream()
        .filter(r -> r.getHost().equals(host))
        .findFirst()
        .orElseThrow();
  }

  /** Kubernetes Service name → the gRPC service it serves, from the rendered objects. */
  static String backendOf(String grpcService) {
    String context = grpcService.split("\\.")[1];
    return Rendered.objectName(context);
  }

  @Test
  void theOperatorsHostRoutesEveryGrpcServiceByPathToItsService() {
    Ingress ingress = Chart.render(ServicesTest.PRODUCTION).get(Ingress.class, "botfleet");
    Map<String, String> routed = new TreeMap<>();
    for (HTTPIngressPath path :
        host(ingress, "botfleet.trading.example.com").getHttp().getPaths()) {
      assertThat(path.getPathType()).isEqualTo("Prefix");
      assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
      routed.put(path.getPath(), path.getBackend().getService().getName());
    }
    Map<String, String> expected = new TreeMap<>();
    for (String grpcService : Protos.grpcServices()) {
      expected.put("/" + grpcService + "/", backendOf(grpcService));
    }
    assertThat(routed).isEqualTo(expected);
  }

  @Test
  void theRestGatewayHasAnIngressOfItsOwnThatSpeaksHttpToFleetService() {
    Rendered rendered = Chart.render(ServicesTest.PRODUCTION);
    Ingress api = rendered.get(Ingress.class, "botfleet-api");
    assertThat(api.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(host(api, "botfleet.trading.example.com").getHttp().getPaths())
        .singleElement()
        .satisfies(
            path -> {
              assertThat(path.getPath()).isEqualTo("/api/v1");
              assertThat(path.getPathType()).isEqualTo("Prefix");
              assertThat(path.getBackend().getService().getName())
                  .isEqualTo(Rendered.objectName("fleet"));
              assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
            });
    // Plain HTTP to the backend, events unbuffered; the gRPC Ingress keeps its gRPC backends.
    assertThat(api.getMetadata().getAnnotations())
        .containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off")
        .doesNotContainKey("nginx.ingress.kubernetes.io/backend-protocol");
    assertThat(rendered.get(Ingress.class, "botfleet").getMetadata().getAnnotations())
        .containsEntry("nginx.ingress.kubernetes.io/backend-protocol", "GRPC");
    assertThat(Chart.render(ServicesTest.MINIMAL).find(Ingress.class, "botfleet-api")).isEmpty();
  }

  @Test
  void theBotsHostRoutesExactlyTheRpcsBotsMayCall() {
    Rendered rendered = Chart.render(ServicesTest.PRODUCTION);
    Ingress ingress = rendered.get(Ingress.class, "botfleet");
    Set<String> routed = new TreeSet<>();
    for (HTTPIngressPath path : host(ingress, "bots.trading.example.com").getHttp().getPaths()) {
      assertThat(path.getPathType()).isEqualTo("Exact");
      String method = path.getPath().substring(1);
      assertThat(path.getBackend().getService().getName()).isEqualTo(backendOf(method));
      assertThat(rendered.find(Service.class, path.getBackend().getService().getName()))
          .isPresent();
      routed.add(method);
    }
    assertThat(routed).isEqualTo(Protos.botMethods());
    assertThat(routed)
        .contains(
            "botfleet.fleet.v1.FleetService/StreamCommands",
            "botfleet.health.v1.FleetHealthService/StreamHeartbeats",
            "botfleet.billing.v1.BillingService/ReportFills",
            "botfleet.identity.v1.IdentityService/EnrollBot",
            "botfleet.identity.v1.IdentityService/RegisterRotatedKey");
    assertThat(routed).doesNotContain(Protos.BOOTSTRAP);
  }

  @Test
  void theGatewayForBotsMatchesExactlyTheirRpcs() {
    GRPCRoute route = Chart.render(ServicesTest.GATEWAY).get(GRPCRoute.class, "botfleet");
    assertThat(route.getSpec().getParentRefs())
        .extracting(r -> r.getName())
        .containsExactly("public-gateway");
    assertThat(route.getSpec().getHostnames()).containsExactly("bots.example.com");
    Set<String> routed = new TreeSet<>();
    for (GRPCRouteRule rule : route.getSpec().getRules()) {
      String backend = rule.getBackendRefs().get(0).getName();
      for (GRPCRouteMatch match : rule.getMatches()) {
        GRPCMethodMatch method = match.getMethod();
        assertThat(method.getType()).isEqualTo("Exact");
        assertThat(method.getMethod()).isNotBlank();
        assertThat(backend).isEqualTo(backendOf(method.getService()));
        routed.add(method.getService() + "/" + method.getMethod());
      }
    }
    assertThat(routed).isEqualTo(Protos.botMethods());
  }

  @Test
  void theGatewayForEveryoneRoutesServicesWholeAndAuditServiceByHeader() {
    Rendered rendered = Chart.render(ServicesTest.GATEWAY, Map.of("gateway.routes", "all"));
    GRPCRoute route = rendered.get(GRPCRoute.class, "botfleet");
    Map<String, String> services = new TreeMap<>();
    Map<String, String> auditByHeader = new TreeMap<>();
    for (GRPCRouteRule rule : route.getSpec().getRules()) {
      String backend = rule.getBackendRefs().get(0).getName();
      int port = rule.getBackendRefs().get(0).getPort();
      assertThat(port)
          .isEqualTo(rendered.get(Service.class, backend).getSpec().getPorts().get(0).getPort());
      for (GRPCRouteMatch match : rule.getMatches()) {
        assertThat(match.getMethod().getMethod()).isNull();
        if (match.getMethod().getService().equals("botfleet.common.v1.AuditService")) {
          assertThat(match.getHeaders()).hasSize(1);
          assertThat(match.getHeaders().get(0).getName()).isEqualTo("x-botfleet-service");
          auditByHeader.put(match.getHeaders().get(0).getValue(), backend);
        } else {
          services.put(match.getMethod().getService(), backend);
        }
      }
    }
    Map<String, String> expected = new TreeMap<>();
    Protos.grpcServices().forEach(s -> expected.put(s, backendOf(s)));
    assertThat(services).isEqualTo(expected);
    assertThat(auditByHeader).hasSize(Chart.SERVICES.size());
    auditByHeader.forEach(
        (service, backend) -> assertThat(backend).isEqualTo(Rendered.objectName(service)));
  }
}
