package io.botfleet.fleet.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the kill switch's path is warm: the first emergency stop must be fast too. */
@Readiness
@ApplicationScoped
public class WarmupReadiness implements HealthCheck {

  @Inject Warmup warmup;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("kill-switch-warm-up").status(warmup.done()).build();
  }
}
