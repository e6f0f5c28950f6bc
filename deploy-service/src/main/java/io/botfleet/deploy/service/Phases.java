package io.botfleet.deploy.service;

import io.botfleet.common.error.BotfleetException;

/**
 * Runs the phases of one tick so that a callee being unreachable in one phase does not keep the
 * others (which may need no callee at all) from running; the first such failure is rethrown at the
 * end, for the driver to log.
 */
final class Phases {

  private BotfleetException first;

  /** Runs a phase; a BotfleetException (a callee said no, or is down) is kept for later. */
  void run(Runnable phase) {
    stopIfInterrupted();
    try {
      phase.run();
    } catch (BotfleetException e) {
      if (first == null) {
        first = e;
      }
    }
  }

  /** The driver is stopping: do nothing more in this tick. */
  void stopIfInterrupted() {
    if (Thread.currentThread().isInterrupted()) {
      throw new IllegalStateException("the rollout driver is stopping");
    }
  }

  /** Rethrows the first failure, if any. */
  void rethrow() {
    if (first != null) {
      throw first;
    }
  }
}
