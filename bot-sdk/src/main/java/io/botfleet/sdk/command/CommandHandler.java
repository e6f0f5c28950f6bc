package io.botfleet.sdk.command;

/**
 * What a bot does when the control plane commands it: one method per command of the guide, plus
 * custom commands. The SDK acknowledges each command ACCEPTED when it calls the method and DONE,
 * FAILED or REJECTED as the method returns (FAILED if it throws).
 *
 * <p>Guarantees: each command is handed over at most once, even across reconnects and restarts
 * (with a command journal); commands run one at a time in the order received, except {@link
 * #emergencyStop} which never waits behind another command and may therefore run while another
 * method is still running. A command that has expired is never handed over. Methods may block (an
 * update that restarts a component, a shutdown that flattens positions); keep them bounded, since
 * later commands wait.
 *
 * <p>{@code pause}, {@code resume}, {@code emergency_stop} and {@code shutdown} must be handled by
 * every trading bot; the other methods reject by default.
 */
public interface CommandHandler {

  /** {@code pause}: stop opening new positions. */
  CommandResult pause(PauseCommand command);

  /** {@code resume}: trade again (a stopped bot stays stopped). */
  CommandResult resume(ResumeCommand command);

  /**
   * {@code emergency_stop}: carry out the actions (cancel orders, close positions, halt). Runs at
   * once, even while another command is being handled. If the actions include {@code
   * destroy_local_keys}, the SDK destroys the key file after this returns, whatever it returns.
   */
  CommandResult emergencyStop(EmergencyStopCommand command);

  /** {@code shutdown}: wind down within the grace period; the client closes after the ack. */
  CommandResult shutdown(ShutdownCommand command);

  /** {@code assume_responsibility}: take over a dead bot's work (failover). Rejected by default. */
  default CommandResult assumeResponsibility(AssumeResponsibilityCommand command) {
    return CommandResult.rejected("assume_responsibility is not supported by this bot");
  }

  /** {@code update_version}: run another version. Rejected by default. */
  default CommandResult updateVersion(UpdateVersionCommand command) {
    return CommandResult.rejected("update_version is not supported by this bot");
  }

  /** {@code rollback_version}: return to the previous version. Rejected by default. */
  default CommandResult rollbackVersion(RollbackVersionCommand command) {
    return CommandResult.rejected("rollback_version is not supported by this bot");
  }

  /** A custom command. Rejected as unknown by default. */
  default CommandResult custom(CustomCommand command) {
    return CommandResult.rejected("unknown command " + command.type());
  }

  /**
   * {@code rotate_key} was carried out by the SDK (it needs nothing from the bot); this tells the
   * bot afterwards. Does nothing by default.
   */
  default void keyRotated(KeyRotatedEvent event) {}
}
