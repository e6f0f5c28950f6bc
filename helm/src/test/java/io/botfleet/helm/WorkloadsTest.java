package io.botfleet.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rules every rendered workload follows, in every ci/*-values.yaml scenario: limits, a non-root
 * locked-down security context, probes, Service ports that reach a container port.
 */
class WorkloadsTest {

  static List<Rendered> renderings() {
    return Chart.scenarios().stream().map(Chart::render).toList();
  }

  @ParameterizedTest
  @MethodSource("renderings")
  void everyContainerHasCpuAndMemoryLimits(Rendered rendered) {
    eachContainer(
        rendered,
        (owner, pod, container) -> {
          var limits = container.getResources().getLimits();
          assertThat(limits).as("%s/%s limits", owner, container.getName()).isNotNull();
          assertThat(limits).as("%s/%s", owner, container.getName()).containsKeys("cpu", "memory");
          assertThat(container.getResources().getRequests())
              .as("%s/%s requests", owner, container.getName())
              .containsKeys("cpu", "memory");
        });
  }

  @ParameterizedTest
  @MethodSource("renderings")
  void everyContainerRunsNonRootWithNothingToEscalate(Rendered rendered) {
    eachContainer(
        rendered,
        (owner, pod, container) -> {
          String what = owner + "/" + container.getName();
          SecurityContext own = container.getSecurityContext();
          PodSecurityContext shared =
              Optional.ofNullable(pod.getSecurityContext()).orElse(new PodSecurityContext());
          assertThat(own).as(what + " securityContext").isNotNull();
          Boolean nonRoot =
              own.getRunAsNonRoot() != null ? own.getRunAsNonRoot() : shared.getRunAsNonRoot();
          Long user = own.getRunAsUser() != null ? own.getRunAsUser() : shared.getRunAsUser();
          assertThat(nonRoot).as(what + " runAsNonRoot").isTrue();
          assertThat(user).as(what + " runAsUser").isNotNull().isNotZero();
          assertThat(own.getAllowPrivilegeEscalation()).as(what + " escalation").isFalse();
          assertThat(own.getPrivileged()).as(what + " privileged").isNotEqualTo(Boolean.TRUE);
          assertThat(own.getReadOnlyRootFilesystem()).as(what + " read-only root").isTrue();
          assertThat(own.getCapabilities().getDrop()).as(what + " dropped").contains("ALL");
          assertThat(own.getCapabilities().getAdd()).as(what + " added").isNullOrEmpty();
          assertThat(pod.getHostNetwork()).as(owner + " hostNetwork").isNotEqualTo(Boolean.TRUE);
        });
  }

  @ParameterizedTest
  @MethodSource("renderings")
  void aReadOnlyRootStillHasAWritableTmp(Rendered rendered) {
    eachContainer(
        rendered,
        (owner, pod, container) -> {
          String volume =
              container.getVolumeMounts().stream()
                  .filter(m -> m.getMountPath().equals("/tmp"))
                  .map(m -> m.getName())
                  .findFirst()
                  .orElse(null);
          if (container.getName().equals("wait-for-database")) {
            return; // pg_isready writes nothing
          }
          assertThat(volume).as("%s/%s mounts /tmp", owner, container.getName()).isNotNull();
          Volume tmp =
              pod.getVolumes().stream().filter(v -> v.getName().equals(volume)).findFirst().get();
          assertThat(tmp.getEmptyDir()).as("%s /tmp is an emptyDir", owner).isNotNull();
        });
  }

  @ParameterizedTest
  @MethodSource("renderings")
  void everyLongRunningContainerHasStartupLivenessAndReadinessProbes(Rendered rendered) {
    List<Map.Entry<String, PodTemplateSpec>> longRunning =
        rendered.podTemplates().entrySet().stream()
            .filter(e -> !e.getKey().startsWith("Job/"))
            .toList();
    assertThat(longRunning).isNotEmpty();
    for (var entry : longRunning) {
      for (Container c : entry.getValue().getSpec().getContainers()) {
        String what = entry.getKey() + "/" + c.getName();
        assertThat(c.getStartupProbe()).as(what + " startupProbe").isNotNull();
        assertThat(c.getLivenessProbe()).as(what + " livenessProbe").isNotNull();
        assertThat(c.getReadinessProbe()).as(what + " readinessProbe").isNotNull();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("renderings")
  void servicesAreProbedOnQuarkusHealthEndpoints(Rendered rendered) {
    for (String service : Chart.SERVICES) {
      Container c =
          rendered.deployment(service).getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(path(c.getStartupProbe())).isEqualTo("/q/health/started");
      assertThat(path(c.getLivenessProbe())).isEqualTo("/q/health/live");
      assertThat(path(c.getReadinessProbe())).isEqualTo("/q/health/ready");
      for (Probe p : List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
        assertThat(p.getHttpGet().getPort().getStrVal()).isEqualTo("http");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("renderings")
  void everyServicePortIsTheContainerPortOfThePodsItSelects(Rendered rendered) {
    for (Service service : rendered.all(Service.class)) {
      Map<String, String> selector = service.getSpec().getSelector();
      List<PodTemplateSpec> pods =
          rendered.podTemplates().entrySet().stream()
              .filter(e -> !e.getKey().startsWith("Job/"))
              .map(Map.Entry::getValue)
              .filter(t -> t.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
              .toList();
      assertThat(pods).as("workloads selected by Service %s", name(service)).hasSize(1);
      List<ContainerPort> containerPorts =
          pods.get(0).getSpec().getContainers().stream()
              .flatMap(c -> c.getPorts().stream())
              .toList();
      for (ServicePort port : service.getSpec().getPorts()) {
        ContainerPort target =
            containerPorts.stream()
                .filter(
                    cp ->
                        port.getTargetPort().getStrVal() != null
                            ? port.getTargetPort().getStrVal().equals(cp.getName())
                            : Objects.equals(
                                port.getTargetPort().getIntVal(), cp.getContainerPort()))
                .findFirst()
                .orElseThrow(
                    () ->
                        new AssertionError(
                            name(service)
                                + " targetPort "
                                + port.getTargetPort()
                                + " matches no container port"));
        assertThat(target.getContainerPort()).as(name(service) + " port").isEqualTo(port.getPort());
        assertThat(target.getProtocol()).isEqualTo(port.getProtocol());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("renderings")
  void eachServiceListensOnTheContainerPortItDeclares(Rendered rendered) {
    for (String service : Chart.SERVICES) {
      Container c =
          rendered.deployment(service).getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(Env.value(c, "QUARKUS_HTTP_PORT"))
          .isEqualTo(String.valueOf(c.getPorts().get(0).getContainerPort()));
    }
  }

  @ParameterizedTest
  @MethodSource("renderings")
  void everyObjectCarriesTheRecommendedLabels(Rendered rendered) {
    for (HasMetadata object : rendered.objects()) {
      assertRecommendedLabels(
          object.getKind() + "/" + name(object), object.getMetadata().getLabels());
    }
    rendered
        .podTemplates()
        .forEach(
            (owner, t) -> assertRecommendedLabels(owner + " pods", t.getMetadata().getLabels()));
  }

  @ParameterizedTest
  @MethodSource("renderings")
  void selectorsUseTheStableLabelsAndMatchTheirPods(Rendered rendered) {
    for (Deployment d : rendered.all(Deployment.class)) {
      Map<String, String> selector = d.getSpec().getSelector().getMatchLabels();
      assertThat(selector)
          .as(name(d))
          .containsOnlyKeys(
              "app.kubernetes.io/name",
              "app.kubernetes.io/instance",
              "app.kubernetes.io/component");
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(selector);
    }
    for (StatefulSet s : rendered.all(StatefulSet.class)) {
      assertThat(s.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(s.getSpec().getSelector().getMatchLabels());
    }
  }

  static void assertRecommendedLabels(String what, Map<String, String> labels) {
    assertThat(labels)
        .as(what)
        .containsEntry("app.kubernetes.io/name", "botfleet")
        .containsEntry("app.kubernetes.io/instance", Chart.RELEASE)
        .containsEntry("app.kubernetes.io/version", BuildFacts.version())
        .containsEntry("app.kubernetes.io/part-of", "botfleet")
        .containsEntry("app.kubernetes.io/managed-by", "Helm")
        .containsKeys("app.kubernetes.io/component", "helm.sh/chart");
  }

  static String path(Probe probe) {
    return probe.getHttpGet().getPath();
  }

  static String name(HasMetadata object) {
    return object.getMetadata().getName();
  }

  interface ContainerCheck {
    void check(String owner, PodSpec pod, Container container);
  }

  static void eachContainer(Rendered rendered, ContainerCheck check) {
    Map<String, PodTemplateSpec> templates = rendered.podTemplates();
    assertThat(templates).isNotEmpty();
    templates.forEach(
        (owner, template) ->
            Rendered.containers(template.getSpec())
                .forEach(c -> check.check(owner, template.getSpec(), c)));
  }
}
