package io.botfleet.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.botfleet.common.v1.Access;
import io.botfleet.common.v1.AccessProto;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

  /** Every botfleet gRPC service (each file's descriptor). */
  static final List<FileDescriptor> FILES =
      List.of(
          io.botfleet.common.v1.Audit.getDescriptor(),
          io.botfleet.identity.v1.IdentityServiceOuterClass.getDescriptor(),
          io.botfleet.permission.v1.PermissionServiceOuterClass.getDescriptor(),
          io.botfleet.fleet.v1.FleetServiceOuterClass.getDescriptor(),
          io.botfleet.health.v1.HealthService.getDescriptor(),
          io.botfleet.deploy.v1.DeployServiceOuterClass.getDescriptor(),
          io.botfleet.billing.v1.BillingServiceOuterClass.getDescriptor());

  static final Set<String> SERVICES =
      Set.of("fleet", "identity", "permission", "health", "deploy", "billing");

  @Test
  void everyRpcOfEveryServiceDeclaresWhoMayCallIt() {
    List<String> missing = new ArrayList<>();
    int methods = 0;
    for (FileDescriptor file : FILES) {
      for (ServiceDescriptor service : file.getServices()) {
        for (MethodDescriptor method : service.getMethods()) {
          methods++;
          if (!method.getOptions().hasExtension(AccessProto.access)) {
            missing.add(method.getFullName());
            continue;
          }
          Access access = method.getOptions().getExtension(AccessProto.access);
          boolean anyone =
              access.getPublic()
                  || access.getBotSelf()
                  || access.getMinOperatorRole() != OperatorRole.OPERATOR_ROLE_UNSPECIFIED
                  || access.getServicesCount() > 0;
          if (!anyone) {
            missing.add(method.getFullName() + " (allows no one)");
          }
          assertThat(access.getServicesList())
              .allSatisfy(name -> assertThat(SERVICES).contains(name));
        }
      }
    }
    assertThat(methods).isGreaterThan(80);
    assertThat(missing).isEmpty();
  }

  @Test
  void operatorRolesIncludeTheOnesBelow() {
    Access viewers =
        Access.newBuilder().setMinOperatorRole(OperatorRole.OPERATOR_ROLE_VIEWER).build();
    Access admins =
        Access.newBuilder().setMinOperatorRole(OperatorRole.OPERATOR_ROLE_ADMIN).build();

    assertThat(AccessRules.allows(viewers, operator(OperatorRole.OPERATOR_ROLE_ADMIN))).isTrue();
    assertThat(AccessRules.allows(admins, operator(OperatorRole.OPERATOR_ROLE_OPERATOR))).isFalse();
    assertThat(AccessRules.allows(admins, operator(OperatorRole.OPERATOR_ROLE_ADMIN))).isTrue();
  }

  @Test
  void botsAndServicesNeedTheirOwnGrant() {
    Access operatorsOnly =
        Access.newBuilder().setMinOperatorRole(OperatorRole.OPERATOR_ROLE_VIEWER).build();
    Access fleetOnly = Access.newBuilder().addServices("fleet").build();
    Principal bot =
        new Principal(
            "bot-1", PrincipalKind.PRINCIPAL_KIND_BOT, OperatorRole.OPERATOR_ROLE_UNSPECIFIED, "b");
    Principal health =
        new Principal(
            "svc-health",
            PrincipalKind.PRINCIPAL_KIND_SERVICE,
            OperatorRole.OPERATOR_ROLE_UNSPECIFIED,
            "health");

    assertThat(AccessRules.allows(operatorsOnly, bot)).isFalse();
    assertThat(AccessRules.allows(fleetOnly, health)).isFalse();
    assertThat(AccessRules.allows(Access.newBuilder().addServices("health").build(), health))
        .isTrue();
    assertThat(AccessRules.allows(Access.newBuilder().setBotSelf(true).build(), bot)).isTrue();
  }

  private static Principal operator(OperatorRole role) {
    return new Principal("op-1", PrincipalKind.PRINCIPAL_KIND_OPERATOR, role, "op");
  }
}
