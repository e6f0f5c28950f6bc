package io.botfleet.health.service;

import io.botfleet.health.domain.HealthEvent;

/** Where a WatchHealth subscriber's events go (the gRPC adapter implements it over its stream). */
public interface HealthWatcher {

  /** Sends one event (already filtered). */
  void send(long sequence, HealthEvent event);

  /** True if the stream can take more now (flow control); false makes the feed wait. */
  boolean ready();

  /** False once the subscriber is gone. */
  boolean open();
}
