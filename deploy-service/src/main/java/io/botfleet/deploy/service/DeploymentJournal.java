package io.botfleet.deploy.service;

import io.botfleet.common.db.PgNotifications;
import io.botfleet.deploy.greenhelix.DeploymentEvents;
import io.botfleet.deploy.persistence.DeploymentEntity;
import io.botfleet.deploy.persistence.ProgressRepository;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes down what happens to a deployment, in the transaction of the change: a progress line for
 * WatchDeployment (announced to every replica by NOTIFY when it commits), and for state changes an
 * event (audit log and GreenHelix).
 */
@ApplicationScoped
public class DeploymentJournal {

  /** The NOTIFY channel of progress lines; the payload is the deployment id. */
  public static final String CHANNEL = "deployment_progress";

  @Inject ProgressRepository progress;
  @Inject PgNotifications notifications;
  @Inject DeploymentEvents events;

  /** A progress line. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void progress(DeploymentEntity d, String message) {
    Log.debugf("Deployment %s (%s → %s): %s", d.id, groupOf(d), d.version, message);
    line(d, message);
  }

  private void line(DeploymentEntity d, String message) {
    progress.append(d.id, message);
    notifications.notify(CHANNEL, d.id);
  }

  /**
   * A progress line and an event whose payload starts with the deployment's id, version and group.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void event(
      DeploymentEntity d, String type, String actor, String message, Map<String, ?> fields) {
    Log.infof("Deployment %s (%s → %s): %s", d.id, groupOf(d), d.version, message);
    line(d, message);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("deployment_id", d.id);
    payload.put("version", d.version);
    payload.put("group", groupOf(d));
    payload.putAll(fields);
    events.publish(type, actor, payload);
  }

  /** The group as events name it ("" for chosen bots of several groups). */
  static String groupOf(DeploymentEntity d) {
    return d.group == null ? "" : d.group;
  }
}
