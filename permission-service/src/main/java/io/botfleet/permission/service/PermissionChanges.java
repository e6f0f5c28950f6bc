package io.botfleet.permission.service;

import io.botfleet.common.db.PgNotifications;
import io.botfleet.permission.persistence.AssignmentChanges;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.Collection;

/**
 * Announces, in the transaction of a change, which bots' assignments changed: a row per bot in the
 * change log, a NOTIFY for the other replicas, and, once the transaction has committed, this
 * replica's view brought up to date before the call returns. So a bot suspended by an RPC is denied
 * by the very next check, here and (within milliseconds) on every replica.
 */
@ApplicationScoped
public class PermissionChanges {

  @Inject AssignmentChanges log;
  @Inject PgNotifications notifications;
  @Inject PermissionView view;
  @Inject TransactionSynchronizationRegistry transactions;

  /** Records that these bots changed. Call it after the transaction's row changes. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void changed(Collection<String> agentIds) {
    if (agentIds.isEmpty()) {
      return;
    }
    long revision = log.record(agentIds);
    notifications.notify(PermissionView.CHANNEL, "changed");
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {
            // nothing to do before the commit
          }

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              view.catchUpTo(revision);
            }
          }
        });
  }
}
