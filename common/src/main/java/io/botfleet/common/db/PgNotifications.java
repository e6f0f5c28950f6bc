package io.botfleet.common.db;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PostgreSQL LISTEN/NOTIFY, so that a change committed by one replica wakes the others at once (a
 * key revoked, a command queued for a bot whose stream another replica holds). A notification is
 * sent when the transaction that sends it commits, never before and never on rollback.
 *
 * <p>Listeners run on the listening thread and must return quickly. After the listening connection
 * was lost, each listener is called with {@link #RECONNECTED}: notifications may have been missed,
 * so it should re-read what it follows.
 */
@ApplicationScoped
public class PgNotifications {

  /** The payload listeners receive after a reconnection. */
  public static final String RECONNECTED = "";

  @Inject AgroalDataSource dataSource;
  @Inject EntityManager entityManager;

  private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
  private volatile boolean running;
  private Thread thread;

  /** Calls {@code listener} with the payload of every notification on {@code channel}. */
  public synchronized void listen(String channel, Consumer<String> listener) {
    requireChannelName(channel);
    listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(listener);
    if (thread == null) {
      running = true;
      thread = new Thread(this::run, "pg-listen");
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** Sends a notification when the current transaction commits. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void notify(String channel, String payload) {
    requireChannelName(channel);
    entityManager
        .createNativeQuery("select pg_notify(:channel, :payload)")
        .setParameter("channel", channel)
        .setParameter("payload", payload)
        .getSingleResult();
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void run() {
    boolean first = true;
    while (running) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(true);
        PGConnection pg = connection.unwrap(PGConnection.class);
        java.util.Set<String> listening = new java.util.HashSet<>();
        if (!first) {
          dispatchAll(RECONNECTED);
        }
        first = false;
        while (running) {
          for (String channel : listeners.keySet()) {
            if (listening.add(channel)) {
              try (Statement statement = connection.createStatement()) {
                statement.execute("listen " + channel);
              }
            }
          }
          PGNotification[] notifications = pg.getNotifications(500);
          if (notifications != null) {
            for (PGNotification notification : notifications) {
              dispatch(notification.getName(), notification.getParameter());
            }
          }
        }
      } catch (SQLException e) {
        if (!running) {
          return;
        }
        Log.warnf("LISTEN connection lost (%s); reconnecting in 1 s", e.getMessage());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private void dispatchAll(String payload) {
    listeners.keySet().forEach(channel -> dispatch(channel, payload));
  }

  private void dispatch(String channel, String payload) {
    for (Consumer<String> listener : listeners.getOrDefault(channel, List.of())) {
      try {
        listener.accept(payload);
      } catch (RuntimeException e) {
        Log.errorf(e, "Listener of %s failed", channel);
      }
    }
  }

  private static void requireChannelName(String channel) {
    if (!channel.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("bad channel name " + channel);
    }
  }
}
