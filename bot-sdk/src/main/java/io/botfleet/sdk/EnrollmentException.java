package io.botfleet.sdk;

/**
 * Enrollment was refused (a used, expired or foreign token, a name that does not match it) or the
 * control plane could not be reached before the enrollment timeout. The operator issues a new
 * token; retrying with the same one does not help when it was refused.
 */
public final class EnrollmentException extends Exception {

  /** With the reason. */
  public EnrollmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
