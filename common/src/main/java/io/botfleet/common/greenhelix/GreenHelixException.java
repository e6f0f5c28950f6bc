package io.botfleet.common.greenhelix;

/** A GreenHelix call failed. */
public class GreenHelixException extends RuntimeException {

  private final int status;

  /**
   * @param status the HTTP status, or 0 when there was no answer
   * @param message what happened
   */
  public GreenHelixException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status, or 0 when there was no answer. */
  public int status() {
    return status;
  }

  /**
   * True if retrying may succeed: no answer, 408, 429 and 5xx. Any other 4xx means the call itself
   * is wrong and retrying cannot help.
   */
  public boolean retryable() {
    return status == 0 || status == 408 || status == 429 || status >= 500;
  }
}
