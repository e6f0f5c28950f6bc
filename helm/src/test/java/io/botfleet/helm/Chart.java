package io.botfleet.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The chart in helm/botfleet, rendered and linted by the Helm embedded in helm-java (no helm CLI,
 * no cluster), and parsed with the fabric8 Kubernetes model.
 */
final class Chart {

  /** The repository root (surefire passes it; tests run from helm/). */
  static final Path ROOT =
      Path.of(System.getProperty("botfleet.root", "..")).toAbsolutePath().normalize();

  static final Path DIR = ROOT.resolve("helm/botfleet");

  /** Release and namespace every rendering uses; the release name makes the prefix "botfleet". */
  static final String RELEASE = "botfleet";

  static final String NAMESPACE = "trading";

  /** The six services, as the chart names them. */
  static final List<String> SERVICES =
      List.of("identity", "permission", "health", "fleet", "deploy", "billing");

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Map<Path, Rendered> CACHE = new ConcurrentHashMap<>();

  private Chart() {}

  /** The ci/*-values.yaml scenarios, by file name. */
  static List<Path> scenarios() {
    try (Stream<Path> files = Files.list(DIR.resolve("ci"))) {
      return files
          .filter(f -> f.getFileName().toString().endsWith("-values.yaml"))
          .sorted(Comparator.comparing(Path::toString))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The chart rendered with one scenario's values (cached: rendering is the slow part). */
  static Rendered render(Path scenario) {
    return CACHE.computeIfAbsent(
        scenario,
        s -> {
          String manifests = template(s);
          keep(s.getFileName().toString(), manifests);
          return parse(s.getFileName().toString(), manifests);
        });
  }

  /** Leaves each rendering in target/rendered/ for a person to read after the build. */
  private static void keep(String scenario, String manifests) {
    try {
      Path dir = Files.createDirectories(ROOT.resolve("helm/target/rendered"));
      Files.writeString(dir.resolve(scenario), manifests);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The chart rendered with a scenario's values plus --set overrides. */
  static Rendered render(Path scenario, Map<String, Object> sets) {
    return parse(scenario.getFileName() + " " + sets, template(scenario, sets));
  }

  /** Raw `helm template` output. */
  static String template(Path scenario) {
    return template(scenario, Map.of());
  }

  static String template(Path scenario, Map<String, Object> sets) {
    TemplateCommand command =
        new Helm(hooksVisible())
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion("1.31.0");
    if (scenario != null) {
      command = command.withValuesFile(scenario);
    }
    for (Map.Entry<String, Object> set : sets.entrySet()) {
      command = command.set(set.getKey(), set.getValue());
    }
    return command.call();
  }

  /**
   * Helm's annotation that makes an object a hook. helm-java's template prints the release manifest
   * only, without hooks (the database roles Job, the in-cluster database's Secret); the tests
   * render a copy of the chart in which the annotation is renamed to {@link #HOOK}, so hooks render
   * as plain objects and every rule applies to them too.
   */
  static final String HELM_HOOK = "helm.sh/hook";

  /** The hook annotation in renderings. */
  static final String HOOK = "test.botfleet.io/hook";

  private static Path hooksVisible;

  private static synchronized Path hooksVisible() {
    if (hooksVisible == null) {
      try {
        Path chart = Files.createTempDirectory("botfleet-hooks-").resolve("botfleet");
        copyTree(DIR, chart);
        try (Stream<Path> templates = Files.list(chart.resolve("templates"))) {
          for (Path template : templates.toList()) {
            String text = Files.readString(template);
            Files.writeString(template, text.replace(HELM_HOOK + ":", HOOK + ":"));
          }
        }
        hooksVisible = chart;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return hooksVisible;
  }

  /** The NOTES.txt an install prints (a client-only dry run, no cluster). */
  static String notes(Path scenario) {
    String output =
        new Helm(DIR)
            .install()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion("1.31.0")
            .withValuesFile(scenario)
            .dryRun()
            .withDryRunOption(com.marcnuri.helm.DryRun.CLIENT)
            .clientOnly()
            .call()
            .getOutput();
    return output.substring(output.indexOf("NOTES:"));
  }

  /**
   * `helm lint --strict` of the chart as an operator configures it: helm-java's lint takes no
   * values file, so the scenario is merged into a copy of the chart's values.yaml (Helm's own merge
   * rule: maps merge, anything else replaces).
   */
  static LintResult lint(Path scenario) {
    try {
      Path copy = Files.createTempDirectory("botfleet-chart-");
      copyTree(DIR, copy.resolve("botfleet"));
      Path chart = copy.resolve("botfleet");
      JsonNode values = YAML.readTree(DIR.resolve("values.yaml").toFile());
      merge((ObjectNode) values, YAML.readTree(scenario.toFile()));
      YAML.writeValue(chart.resolve("values.yaml").toFile(), values);
      return new Helm(chart).lint().strict().call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void merge(ObjectNode into, JsonNode from) {
    from.fields()
        .forEachRemaining(
            field -> {
              JsonNode existing = into.get(field.getKey());
              if (existing instanceof ObjectNode target && field.getValue().isObject()) {
                merge(target, field.getValue());
              } else {
                into.set(field.getKey(), field.getValue());
              }
            });
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  /** Splits `helm template` output into objects of the Kubernetes model. */
  static Rendered parse(String name, String manifests) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : manifests.split("(?m)^---\\s*$")) {
      if (document.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        continue;
      }
      Object parsed = SERIALIZATION.unmarshal(document);
      if (!(parsed instanceof HasMetadata object)) {
        throw new AssertionError(name + ": not a Kubernetes object:\n" + document);
      }
      objects.add(object);
    }
    return new Rendered(name, objects);
  }

  /** Reads a file of the repository. */
  static String read(String relative) {
    try {
      return Files.readString(ROOT.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
