package io.botfleet.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The six services as the chart runs them: images, wiring, keys, database roles, scaling. */
class ServicesTest {

  /** docs/architecture.md's call graph; billing also reads every service's AuditService. */
  static final Map<String, Set<String>> CALLEES =
      Map.of(
          "identity", Set.of(),
          "permission", Set.of("identity"),
          "health", Set.of("identity"),
          "fleet", Set.of("identity", "permission", "health", "deploy", "billing"),
          "deploy", Set.of("identity", "fleet", "health"),
          "billing", Set.of("identity", "permission", "health", "fleet", "deploy"));

  static final Path MINIMAL = Chart.DIR.resolve("ci/minimal-values.yaml");
  static final Path PRODUCTION = Chart.DIR.resolve("ci/production-values.yaml");
  static final Path GATEWAY = Chart.DIR.resolve("ci/gateway-values.yaml");
  static final Path IN_CLUSTER = Chart.DIR.resolve("ci/in-cluster-postgresql-values.yaml");

  static List<Rendered> renderings() {
    return Chart.scenarios().stream().map(Chart::render).toList();
  }

  static Container container(Rendered rendered, String service) {
    return pod(rendered, service).getContainers().get(0);
  }

  static PodSpec pod(Rendered rendered, String service) {
    return rendered.deployment(service).getSpec().getTemplate().getSpec();
  }

  @ParameterizedTest
  @MethodSource("renderings")
  void eachServiceHasItsDeploymentServiceAccountServiceAndDisruptionBudget(Rendered rendered) {
    for (String service : Chart.SERVICES) {
      String name = Rendered.objectName(service);
      assertThat(rendered.find(Service.class, name)).as(name).isPresent();
      assertThat(rendered.find(ServiceAccount.class, name)).as(name).isPresent();
      assertThat(rendered.find(PodDisruptionBudget.class, name)).as(name).isPresent();
      assertThat(pod(rendered, service).getServiceAccountName()).isEqualTo(name);
      assertThat(pod(rendered, service).getAutomountServiceAccountToken()).isFalse();
    }
    assertThat(rendered.all(Deployment.class)).hasSize(Chart.SERVICES.size());
  }

  @Test
  void imagesAreTheNamesTheImageBuildGivesThem() {
    String registry = BuildFacts.imageProfileProperty("quarkus.container-image.registry");
    String group = BuildFacts.imageProfileProperty("quarkus.container-image.group");
    Rendered rendered = Chart.render(MINIMAL);
    for (String service : Chart.SERVICES) {
      // Quarkus names the image after the application; the chart after the module.
      assertThat(BuildFacts.applicationName(service)).isEqualTo(BuildFacts.artifactId(service));
      assertThat(container(rendered, service).getImage())
          .isEqualTo(
              "%s/%s/%s:%s", registry, group, BuildFacts.artifactId(service), BuildFacts.version());
    }
  }

  @Test
  void chartAppVersionIsTheProjectVersion() {
    Matcher m =
        Pattern.compile("(?m)^appVersion:\\s*\"?([^\"\\s]+)\"?")
            .matcher(Chart.read("helm/botfleet/Chart.yaml"));
    assertThat(m.find()).isTrue();
    assertThat(m.group(1)).isEqualTo(BuildFacts.version());
  }

  @Test
  void aRegistryTagAndDigestCanBeChosen() {
    Rendered rendered = Chart.render(PRODUCTION);
    assertThat(container(rendered, "fleet").getImage())
        .isEqualTo("registry.example.com/platform/botfleet/fleet-service:1.4.2");
    assertThat(container(rendered, "deploy").getImage())
        .isEqualTo(
            "registry.example.com/platform/botfleet/deploy-service@sha256:"
                + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    assertThat(pod(rendered, "fleet").getImagePullSecrets())
        .extracting(r -> r.getName())
        .containsExactly("registry-example-com");
  }

  @ParameterizedTest
  @MethodSource("renderings")
  void servicesAreToldWhereExactlyTheirCalleesAre(Rendered rendered) {
    for (String service : Chart.SERVICES) {
      Container c = container(rendered, service);
      Set<String> configured = new TreeSet<>();
      c.getEnv().stream()
          .map(e -> e.getName())
          .filter(n -> n.startsWith("QUARKUS_GRPC_CLIENTS_") && n.endsWith("_HOST"))
          .forEach(
              n ->
                  configured.add(
                      n.substring("QUARKUS_GRPC_CLIENTS_".length(), n.length() - 5).toLowerCase()));
      assertThat(configured).as(service + " calls").isEqualTo(new TreeSet<>(CALLEES.get(service)));
      for (String callee : CALLEES.get(service)) {
        Service target = rendered.get(Service.class, Rendered.objectName(callee));
        String prefix = "QUARKUS_GRPC_CLIENTS_" + callee.toUpperCase();
        assertThat(Env.value(c, prefix + "_HOST")).isEqualTo(target.getMetadata().getName());
        assertThat(Env.value(c, prefix + "_PORT"))
            .isEqualTo(String.valueOf(target.getSpec().getPorts().get(0).getPort()));
      }
      // Every service follows identity-service's key feed.
      assertThat(Env.value(c, "BOTFLEET_IDENTITY_HOST")).isEqualTo("botfleet-identity");
      assertThat(Env.value(c, "BOTFLEET_IDENTITY_PORT")).isEqualTo("8081");
    }
  }

  @ParameterizedTest
  @MethodSource("renderings")
  void jvmOptionsKeepTheLogManagerTheImageWouldHaveSet(Rendered rendered) {
    for (String service : Chart.SERVICES) {
      assertThat(Env.value(container(rendered, service), "JAVA_OPTS_APPEND"))
          .startsWith("-Djava.util.logging.manager=org.jboss.logmanager.LogManager ")
          .contains("-XX:MaxRAMPercentage=");
    }
  }

  @ParameterizedTest
  @MethodSource("renderings")
  void eachServiceConnectsAsItsOwnDatabaseRole(Rendered rendered) {
    String prefix = rendered.name().startsWith("production") ? "bf_" : "botfleet_";
    for (String service : Chart.SERVICES) {
      Container c = container(rendered, service);
      assertThat(Env.value(c, "BOTFLEET_DB_USER")).isEqualTo(prefix + service);
      assertThat(Env.secret(c, "BOTFLEET_DB_PASSWORD").getKey()).isEqualTo(service + "-password");
      assertThat(Env.value(c, "BOTFLEET_DB_URL"))
          .startsWith("jdbc:postgresql://")
          .contains("/botfleet");
    }
  }

  @ParameterizedTest
  @MethodSource("renderings")
  void eachServiceSignsWithItsOwnKeyFromASecret(Rendered rendered) {
    for (String service : Chart.SERVICES) {
      PodSpec pod = pod(rendered, service);
      Container c = pod.getContainers().get(0);
      Volume key =
          pod.getVolumes().stream()
              .filter(v -> v.getName().equals("service-key"))
              .findFirst()
              .get();
      String expected =
          rendered.name().startsWith("gateway") && Set.of("fleet", "identity").contains(service)
              ? "vault-botfleet-" + service
              : "botfleet-" + service + "-key";
      assertThat(key.getSecret().getSecretName()).isEqualTo(expected);
      assertThat(Env.value(c, "BOTFLEET_SERVICE_KEY_FILE"))
          .isEqualTo("/etc/botfleet/service-key/service.key");
      assertThat(Env.has(c, "BOTFLEET_SERVICE_PRIVATE_KEY")).isFalse();
      // Only identity-service reads other services' Secrets, and only their public keys.
      long foreignSecrets =
          c.getEnv().stream()
              .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
              .filter(e -> e.getValueFrom().getSecretKeyRef().getName().contains("-key"))
              .filter(e -> !e.getValueFrom().getSecretKeyRef().getKey().equals("public-key"))
              .count();
      assertThat(foreignSecrets).as(service).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("renderings")
  void identityTrustsThePublicKeysOfAllSixServices(Rendered rendered) {
    Container identity = container(rendered, "identity");
    String list = Env.value(identity, "BOTFLEET_IDENTITY_SERVICE_PUBLIC_KEYS");
    assertThat(list.split(",")).hasSize(6);
    for (String service : Chart.SERVICES) {
      String variable = "BOTFLEET_PUBLIC_KEY_" + service.toUpperCase();
      assertThat(list).contains(service + ":$(" + variable + ")");
      assertThat(Env.secret(identity, variable).getKey()).isEqualTo("public-key");
      String keySecret =
          pod(rendered, service).getVolumes().stream()
              .filter(v -> v.getName().equals("service-key"))
              .findFirst()
              .get()
              .getSecret()
              .getSecretName();
      assertThat(Env.secret(identity, variable).getName()).isEqualTo(keySecret);
      // Kubernetes expands $(VAR) only from variables defined before it.
      assertThat(identity.getEnv().indexOf(Env.variable(identity, variable)))
          .isLessThan(
              identity
                  .getEnv()
                  .indexOf(Env.variable(identity, "BOTFLEET_IDENTITY_SERVICE_PUBLIC_KEYS")));
    }
  }

  @Test
  void identityGetsAWritableMemoryVolumeForTheBootstrapToken() {
    PodSpec pod = pod(Chart.render(MINIMAL), "identity");
    String file = Env.value(pod.getContainers().get(0), "BOTFLEET_IDENTITY_BOOTSTRAP_TOKEN_FILE");
    var mount =
        pod.getContainers().get(0).getVolumeMounts().stream()
            .filter(m -> file.startsWith(m.getMountPath() + "/"))
            .findFirst()
            .orElseThrow();
    assertThat(mount.getReadOnly()).isNotEqualTo(Boolean.TRUE);
    Volume volume =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .get();
    assertThat(volume.getEmptyDir().getMedium()).isEqualTo("Memory");
  }

  @Test
  void onlyFleetAndHealthAutoscaleAndThenTheHpaOwnsTheReplicaCount() {
    Rendered production = Chart.render(PRODUCTION);
    assertThat(production.all(HorizontalPodAutoscaler.class))
        .extracting(h -> h.getSpec().getScaleTargetRef().getName())
        .containsExactlyInAnyOrder("botfleet-fleet", "botfleet-health");
    assertThat(production.deployment("fleet").getSpec().getReplicas()).isNull();
    assertThat(production.deployment("health").getSpec().getReplicas()).isNull();
    assertThat(production.deployment("identity").getSpec().getReplicas()).isEqualTo(3);
    assertThat(Chart.render(MINIMAL).all(HorizontalPodAutoscaler.class)).isEmpty();
  }

  @Test
  void replicasSpreadOverNodesAndZonesByDefault() {
    PodSpec pod = pod(Chart.render(MINIMAL), "fleet");
    var term =
        pod.getAffinity()
            .getPodAntiAffinity()
            .getPreferredDuringSchedulingIgnoredDuringExecution()
            .get(0);
    assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
    assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/component", "fleet");
    assertThat(pod.getTopologySpreadConstraints().get(0).getTopologyKey())
        .isEqualTo("topology.kubernetes.io/zone");
    PodSpec hard = pod(Chart.render(PRODUCTION), "fleet");
    assertThat(
            hard.getAffinity()
                .getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution())
        .hasSize(1);
  }

  @Test
  void anExternalDatabaseGetsItsRolesFromAPreInstallAndPreUpgradeJob() {
    Job job = Chart.render(MINIMAL).get(Job.class, "botfleet-database-roles");
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(Chart.HOOK, "pre-install,pre-upgrade");
    Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getCommand().get(2)).isEqualTo(Chart.read("helm/botfleet/files/db-roles.sh"));
    for (String service : Chart.SERVICES) {
      assertThat(Env.secret(c, "BOTFLEET_PASSWORD_" + service.toUpperCase()).getKey())
          .isEqualTo(service + "-password");
    }
    assertThat(Env.secret(c, "PGPASSWORD").getKey()).isEqualTo("admin-password");

    assertThat(Chart.render(GATEWAY).all(Job.class)).as("roles made by a DBA").isEmpty();
  }

  @Test
  void theInClusterDatabaseRunsTheSameRolesScriptAtItsFirstStart() {
    Rendered rendered = Chart.render(IN_CLUSTER);
    assertThat(rendered.all(Job.class)).isEmpty();
    ConfigMap initdb = rendered.get(ConfigMap.class, "botfleet-postgresql-initdb");
    assertThat(initdb.getData().get("10-botfleet-roles.sh"))
        .isEqualTo(Chart.read("helm/botfleet/files/db-roles.sh"));
    assertThat(container(rendered, "fleet").getImage()).contains("fleet-service");
    assertThat(pod(rendered, "fleet").getInitContainers())
        .extracting(Container::getName)
        .containsExactly("wait-for-database");
    assertThat(Env.value(container(rendered, "fleet"), "BOTFLEET_DB_URL"))
        .isEqualTo("jdbc:postgresql://botfleet-postgresql:5432/botfleet");
  }
}
