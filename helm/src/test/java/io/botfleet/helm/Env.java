package io.botfleet.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** Reading a container's environment. */
final class Env {

  private Env() {}

  static EnvVar variable(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
  }

  static boolean has(Container container, String name) {
    return container.getEnv().stream().anyMatch(e -> e.getName().equals(name));
  }

  /** A literal value. */
  static String value(Container container, String name) {
    EnvVar variable = variable(container, name);
    if (variable.getValue() == null) {
      throw new AssertionError(container.getName() + ": " + name + " is not a literal");
    }
    return variable.getValue();
  }

  /** A value taken from a Secret. */
  static SecretKeySelector secret(Container container, String name) {
    EnvVar variable = variable(container, name);
    if (variable.getValueFrom() == null || variable.getValueFrom().getSecretKeyRef() == null) {
      throw new AssertionError(container.getName() + ": " + name + " does not come from a Secret");
    }
    return variable.getValueFrom().getSecretKeyRef();
  }
}
