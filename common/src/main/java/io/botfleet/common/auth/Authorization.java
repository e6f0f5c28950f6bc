package io.botfleet.common.auth;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.grpc.GrpcErrors;
import io.botfleet.common.v1.Access;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Collection;

/**
 * Who the caller of a verified request is, and whether the RPC's rule admits it. Without {@code
 * botfleet-acting-for} the signer; with it, the operator it names, provided the signer may delegate
 * ({@link Delegation}) and the rule admits both (a delegation never grants more than either has).
 *
 * @param caller the principal the service sees
 * @param via the delegating service, or null
 * @param denial why the call is refused (PERMISSION_DENIED), or null
 */
record Authorization(Principal caller, Principal via, StatusRuntimeException denial) {

  /** Decides for a request signed by {@code signer} to {@code method}. */
  static Authorization of(
      Principal signer,
      String actingFor,
      Access access,
      String method,
      Collection<String> delegatingServices,
      KeyCache keys) {
    if (actingFor == null) {
      return new Authorization(
          signer,
          null,
          AccessRules.allows(access, signer)
              ? null
              : denied(signer.description() + " may not call " + method));
    }
    Delegation delegation;
    try {
      delegation = Delegation.resolve(signer, actingFor, delegatingServices, keys);
    } catch (BotfleetException e) {
      return new Authorization(signer, null, GrpcErrors.toStatusException(e));
    }
    Principal via = delegation.via();
    Principal operator = delegation.operator();
    StatusRuntimeException denial = null;
    if (!AccessRules.allows(access, via)) {
      denial = denied(via.description() + " may not call " + method + ", for anyone");
    } else if (!AccessRules.allows(access, operator)) {
      denial =
          denied(
              operator.description()
                  + " ("
                  + operator.agentId()
                  + ", through "
                  + via.description()
                  + ") may not call "
                  + method);
    }
    return new Authorization(operator, via, denial);
  }

  private static StatusRuntimeException denied(String description) {
    return Status.PERMISSION_DENIED.withDescription(description).asRuntimeException();
  }
}
