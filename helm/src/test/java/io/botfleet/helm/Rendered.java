package io.botfleet.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The objects one rendering produced, with the look-ups the tests share. */
record Rendered(String name, List<HasMetadata> objects) {

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String objectName) {
    return all(type).stream().filter(o -> o.getMetadata().getName().equals(objectName)).findFirst();
  }

  <T extends HasMetadata> T get(Class<T> type, String objectName) {
    return find(type, objectName)
        .orElseThrow(
            () ->
                new AssertionError(name + ": no " + type.getSimpleName() + " named " + objectName));
  }

  /** A service's objects are named botfleet-<service> (release "botfleet"). */
  static String objectName(String service) {
    return Chart.RELEASE + "-" + service;
  }

  /** The Deployment of one of the six services. */
  Deployment deployment(String service) {
    return get(Deployment.class, objectName(service));
  }

  /** Every pod template: Deployments, StatefulSets and Jobs, with the owner's name. */
  Map<String, PodTemplateSpec> podTemplates() {
    return Stream.of(
            all(Deployment.class).stream()
                .map(
                    d ->
                        Map.entry(
                            "Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate())),
            all(StatefulSet.class).stream()
                .map(
                    s ->
                        Map.entry(
                            "StatefulSet/" + s.getMetadata().getName(), s.getSpec().getTemplate())),
            all(Job.class).stream()
                .map(j -> Map.entry("Job/" + j.getMetadata().getName(), j.getSpec().getTemplate())))
        .flatMap(s -> s)
        .collect(
            java.util.stream.Collectors.toMap(
                Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new));
  }

  /** Containers and init containers of a pod spec. */
  static List<Container> containers(PodSpec pod) {
    return Stream.concat(
            pod.getInitContainers() == null ? Stream.empty() : pod.getInitContainers().stream(),
            pod.getContainers().stream())
        .toList();
  }

  @Override
  public String toString() {
    return name;
  }
}
