package io.botfleet.common.error;

import java.util.List;
import java.util.Map;

/**
 * Thrown when a request is malformed. Each violation names the field at fault, so a client can show
 * it next to the input (mapped to INVALID_ARGUMENT with a {@code google.rpc.BadRequest}).
 */
public class InvalidArgumentException extends BotfleetException {

  private final List<FieldViolation> violations;

  /** One field violation. */
  public InvalidArgumentException(String field, String description) {
    this(List.of(new FieldViolation(field, description)));
  }

  /** Several field violations (at least one). */
  public InvalidArgumentException(List<FieldViolation> violations) {
    super(Kind.INVALID_ARGUMENT, "INVALID_ARGUMENT", summary(violations), Map.of());
    this.violations = List.copyOf(violations);
  }

  /** The violations, in the order found. */
  public List<FieldViolation> violations() {
    return violations;
  }

  private static String summary(List<FieldViolation> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("at least one violation");
    }
    FieldViolation first = violations.get(0);
    String text = first.field() + ": " + first.description();
    return violations.size() == 1 ? text : text + " (and " + (violations.size() - 1) + " more)";
  }

  /**
   * A field and what is wrong with it.
   *
   * @param field the field's path in the request, e.g. {@code restrictions.max_order_size_usd}
   * @param description what is wrong, e.g. "must be a non-negative decimal, got -5"
   */
  public record FieldViolation(String field, String description) {}
}
