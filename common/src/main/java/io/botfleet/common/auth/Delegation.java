package io.botfleet.common.auth;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.signing.SignatureHeaders;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A call a botfleet service signed on behalf of an operator, with {@code botfleet-acting-for}
 * (docs/decisions/0208-gateway-acting-for.md): the operator is the caller, the service the one it
 * came through. Only a service configured to delegate may send the header, only for a known, active
 * operator; the RPC's access rule must then admit both of them.
 *
 * @param via the service that signed the request
 * @param operator the operator it acts for
 */
public record Delegation(Principal via, Principal operator) {

  /** The header's name, as error messages name it. */
  public static final String FIELD = SignatureHeaders.ACTING_FOR.name();

  private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /**
   * The header's value, or null when the call carries none.
   *
   * @param values every value of the header received (null: none)
   * @throws RequestVerifier.Refusal if it is repeated, empty or not an agent id
   */
  static String header(Iterable<String> values) throws RequestVerifier.Refusal {
    if (values == null) {
      return null;
    }
    Iterator<String> each = values.iterator();
    if (!each.hasNext()) {
      return null;
    }
    String value = each.next();
    if (each.hasNext()) {
      throw new RequestVerifier.Refusal(FIELD + " must be sent at most once");
    }
    if (value == null || !AGENT_ID.matcher(value).matches()) {
      throw new RequestVerifier.Refusal(FIELD + " must be one agent id");
    }
    return value;
  }

  /**
   * The delegation a verified request signed by {@code signer} claims for {@code actingFor}.
   *
   * @param delegatingServices short names of the services that may delegate
   * @param keys who is known and active
   * @throws BotfleetException PERMISSION_DENIED: ACTING_FOR_NOT_ALLOWED when the signer may not
   *     delegate, ACTING_FOR_UNKNOWN when the agent is unknown or revoked, ACTING_FOR_NOT_OPERATOR
   *     when it is a bot or a service
   */
  static Delegation resolve(
      Principal signer, String actingFor, Collection<String> delegatingServices, KeyCache keys) {
    if (!signer.isService() || !delegatingServices.contains(signer.name())) {
      throw denied(
          "ACTING_FOR_NOT_ALLOWED",
          signer.agentId()
              + " may not send "
              + FIELD
              + ": only a delegating service may act for"
              + " an operator",
          actingFor);
    }
    Optional<Principal> named = keys.principal(actingFor);
    if (named.isEmpty()) {
      throw denied(
          "ACTING_FOR_UNKNOWN",
          FIELD + " names " + actingFor + ", which is not a known, active identity",
          actingFor);
    }
    if (!named.get().isOperator()) {
      throw denied(
          "ACTING_FOR_NOT_OPERATOR",
          FIELD
              + " names "
              + actingFor
              + ", which is not an operator: a service acts only for"
              + " operators",
          actingFor);
    }
    return new Delegation(signer, named.get());
  }

  private static BotfleetException denied(String reason, String message, String actingFor) {
    return new BotfleetException(
        BotfleetException.Kind.PERMISSION_DENIED,
        reason,
        message,
        Map.of("field", FIELD, "acting_for", actingFor));
  }
}
