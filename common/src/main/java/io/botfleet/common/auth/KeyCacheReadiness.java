package io.botfleet.common.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the key cache holds a full snapshot: before that no request can be verified. */
@Readiness
@ApplicationScoped
public class KeyCacheReadiness implements HealthCheck {

  @Inject KeyCache keyCache;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("key-cache")
        .status(keyCache.ready())
        .withData("agents", keyCache.size())
        .withData("revision", keyCache.revision())
        .build();
  }
}
