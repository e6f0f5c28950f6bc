package io.botfleet.deploy.service;

import io.botfleet.common.db.PgNotifications;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.deploy.config.DeployConfig;
import io.botfleet.deploy.persistence.DeploymentRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The loop that drives deployments. Each tick it takes (or renews) the lease of every deployment
 * that needs driving and that no other replica holds, and advances each one; health events and
 * progress anywhere wake it early. Only the lease holder acts on a deployment, and every change
 * re-checks the lease under the row lock, so two replicas never drive the same deployment. A
 * replica that dies keeps its leases until they expire; then another takes over from what is
 * stored.
 */
@ApplicationScoped
public class RolloutDriver {

  private static final int CLAIM_LIMIT = 100;

  @Inject DeployConfig config;
  @Inject DeploymentRepository deployments;
  @Inject RolloutEngine engine;
  @Inject PgNotifications notifications;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  private boolean wakeRequested;
  private volatile Worker worker;

  void onStart(@Observes StartupEvent event) {
    notifications.listen(DeploymentJournal.CHANNEL, payload -> wake());
    if (config.driverEnabled()) {
      start();
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stop(true);
  }

  /** Starts driving, as a new owner (a fresh instance id unless one is configured). */
  public synchronized void start() {
    if (worker != null) {
      return;
    }
    String owner = config.instanceId().orElseGet(RolloutDriver::randomInstanceId);
    worker = new Worker(owner);
    worker.thread.start();
    Log.infof("Rollout driver %s started", owner);
  }

  /**
   * Stops driving and waits until the loop has stopped.
   *
   * @param releaseLeases true on a clean shutdown: another replica takes over at once; false leaves
   *     the leases to expire, exactly as a crash would
   */
  public synchronized void stop(boolean releaseLeases) {
    Worker w = worker;
    if (w == null) {
      return;
    }
    worker = null;
    w.running = false;
    w.thread.interrupt();
    try {
      w.thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (releaseLeases) {
      try {
        int released = QuarkusTransaction.requiringNew().call(() -> deployments.release(w.owner));
        Log.infof("Rollout driver %s stopped; released %d lease(s)", w.owner, released);
      } catch (RuntimeException e) {
        Log.warnf("Could not release the leases of %s: %s", w.owner, e.getMessage());
      }
    }
  }

  /** The owner name of the running loop, or null when stopped. */
  public String owner() {
    Worker w = worker;
    return w == null ? null : w.owner;
  }

  /** Runs the next tick now rather than at its time. */
  public void wake() {
    lock.lock();
    try {
      wakeRequested = true;
      woken.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void sleep() throws InterruptedException {
    lock.lock();
    try {
      long nanos = config.tickInterval().toNanos();
      while (!wakeRequested && nanos > 0) {
        nanos = woken.awaitNanos(nanos);
      }
      wakeRequested = false;
    } finally {
      lock.unlock();
    }
  }

  private final class Worker implements Runnable {
    final String owner;
    final Thread thread;
    volatile boolean running = true;

    Worker(String owner) {
      this.owner = owner;
      this.thread = new Thread(this, "rollout-driver");
      this.thread.setDaemon(true);
    }

    @Override
    public void run() {
      while (running) {
        try {
          tick();
          sleep();
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          if (!running) {
            return;
          }
          Log.warnf(e, "Rollout driver tick failed; retrying");
          try {
            TimeUnit.MILLISECONDS.sleep(config.tickInterval().toMillis());
          } catch (InterruptedException ie) {
            return;
          }
        }
      }
    }

    private void tick() {
      List<String> ids =
          QuarkusTransaction.requiringNew()
              .call(() -> deployments.claim(owner, config.leaseTtl(), CLAIM_LIMIT));
      for (String id : ids) {
        if (!running) {
          return;
        }
        try {
          engine.advance(id, owner);
        } catch (BotfleetException e) {
          // fleet-service or health-service said "not now": the next tick tries again.
          Log.debugf("Deployment %s waits: %s", id, e.getMessage());
        } catch (RuntimeException e) {
          if (!running) {
            return;
          }
          Log.warnf(e, "Advancing deployment %s failed; retrying at the next tick", id);
        }
      }
    }
  }

  private static String randomInstanceId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "deploy";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
