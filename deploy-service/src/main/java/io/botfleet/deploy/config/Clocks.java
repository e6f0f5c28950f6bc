package io.botfleet.deploy.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The clock the rollout engine reads (one place, so tests and callers agree on "now"). */
@ApplicationScoped
public class Clocks {

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
