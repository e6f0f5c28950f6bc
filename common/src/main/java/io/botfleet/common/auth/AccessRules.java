package io.botfleet.common.auth;

import io.botfleet.common.v1.Access;
import io.botfleet.common.v1.AccessProto;
import io.botfleet.common.v1.OperatorRole;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may call each RPC, read from the {@code (botfleet.common.v1.access)} option the proto
 * declares on it. An RPC without one is callable by no one. Public for transports that authenticate
 * a request themselves and map it to an RPC (fleet-service's REST gateway).
 */
public final class AccessRules {

  private final ConcurrentHashMap<String, Optional<Access>> byMethod = new ConcurrentHashMap<>();

  /** The rule of a method, if it declares one. */
  public Optional<Access> of(MethodDescriptor<?, ?> method) {
    return byMethod.computeIfAbsent(method.getFullMethodName(), name -> read(method));
  }

  /** True if {@code principal} may call a method with {@code access}. */
  public static boolean allows(Access access, Principal principal) {
    return switch (principal.kind()) {
      case PRINCIPAL_KIND_BOT -> access.getBotSelf();
      case PRINCIPAL_KIND_OPERATOR ->
          access.getMinOperatorRole() != OperatorRole.OPERATOR_ROLE_UNSPECIFIED
              && principal.hasRole(access.getMinOperatorRole());
      case PRINCIPAL_KIND_SERVICE -> access.getServicesList().contains(principal.name());
      default -> false;
    };
  }

  private static Optional<Access> read(MethodDescriptor<?, ?> method) {
    if (method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier supplier) {
      var options = supplier.getMethodDescriptor().getOptions();
      if (options.hasExtension(AccessProto.access)) {
        return Optional.of(options.getExtension(AccessProto.access));
      }
    }
    return Optional.empty();
  }
}
