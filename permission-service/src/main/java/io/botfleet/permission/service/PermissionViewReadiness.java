package io.botfleet.permission.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until every assignment is in memory: before that, checks answer UNAVAILABLE. */
@Readiness
@ApplicationScoped
public class PermissionViewReadiness implements HealthCheck {

  @Inject PermissionView view;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("permission-view")
        .status(view.loaded())
        .withData("bots", view.size())
        .build();
  }
}
