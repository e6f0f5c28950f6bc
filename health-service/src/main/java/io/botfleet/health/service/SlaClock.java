package io.botfleet.health.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** The time SLA windows end at: the system clock (tests pin it to check windows exactly). */
@ApplicationScoped
public class SlaClock {

  /** Now. */
  public Instant now() {
    return Instant.now();
  }
}
