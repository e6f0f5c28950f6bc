package io.botfleet.common.error;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every field violation of a request before failing, so the caller learns all of them at
 * once rather than one per attempt.
 */
public final class Violations {

  private final List<InvalidArgumentException.FieldViolation> found = new ArrayList<>();

  /** Records a violation of {@code field} when {@code condition} is false. */
  public Violations require(boolean condition, String field, String description) {
    if (!condition) {
      add(field, description);
    }
    return this;
  }

  /** Records a violation. */
  public Violations add(String field, String description) {
    found.add(new InvalidArgumentException.FieldViolation(field, description));
    return this;
  }

  /** True if nothing was recorded. */
  public boolean isEmpty() {
    return found.isEmpty();
  }

  /** Throws {@link InvalidArgumentException} with every violation, if any. */
  public void throwIfAny() {
    if (!found.isEmpty()) {
      throw new InvalidArgumentException(found);
    }
  }
}
