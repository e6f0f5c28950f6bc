package io.botfleet.common.auth;

import io.botfleet.common.config.ServiceConfig;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.KeyFile;
import io.botfleet.signing.SigningKey;
import io.quarkus.logging.Log;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The credentials this service signs its calls to other services with: from its key file, else from
 * BOTFLEET_SERVICE_PRIVATE_KEY, else a key made up at start that no other service knows (its calls
 * will be refused; fine for a service that calls nobody, and for tests).
 */
@ApplicationScoped
public class ServiceCredentials {

  @Inject ServiceConfig config;

  private volatile Credentials credentials;

  @PostConstruct
  void load() {
    String agentId = config.agentId().orElse("svc-" + config.name());
    if (config.keyFile().isPresent()) {
      try {
        credentials = KeyFile.read(config.keyFile().get());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read the service key file " + config.keyFile().get(), e);
      }
    } else if (config.privateKey().isPresent()) {
      credentials = new Credentials(agentId, 1, SigningKey.fromBase64(config.privateKey().get()));
    } else {
      Log.warnf(
          "No service key configured (botfleet.service.key-file): %s signs with a temporary key"
              + " that other services will refuse",
          agentId);
      credentials = new Credentials(agentId, 1, SigningKey.generate());
    }
  }

  /** The current credentials. */
  public Credentials get() {
    return credentials;
  }

  /** This service's agent id. */
  public String agentId() {
    return credentials.agentId();
  }
}
