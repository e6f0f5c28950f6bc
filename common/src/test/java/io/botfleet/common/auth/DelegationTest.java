package io.botfleet.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.signing.CanonicalRequest;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SignatureHeaders;
import io.botfleet.signing.SigningKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who may act for whom with botfleet-acting-for, and that the header is part of what is signed. */
class DelegationTest {

  static final Principal FLEET =
      new Principal(
          "svc-fleet",
          PrincipalKind.PRINCIPAL_KIND_SERVICE,
          OperatorRole.OPERATOR_ROLE_UNSPECIFIED,
          "fleet");
  static final Principal DEPLOY =
      new Principal(
          "svc-deploy",
          PrincipalKind.PRINCIPAL_KIND_SERVICE,
          OperatorRole.OPERATOR_ROLE_UNSPECIFIED,
          "deploy");
  static final Principal ALICE =
      new Principal(
          "op-alice", PrincipalKind.PRINCIPAL_KIND_OPERATOR, OperatorRole.OPERATOR_ROLE_ADMIN, "a");
  static final Principal BOT =
      new Principal(
          "bot-1", PrincipalKind.PRINCIPAL_KIND_BOT, OperatorRole.OPERATOR_ROLE_UNSPECIFIED, "b");

  final KeyCache keys = new KeyCache();

  DelegationTest() {
    for (Principal p : List.of(FLEET, DEPLOY, ALICE, BOT)) {
      keys.upsert(new CachedKey(p, 1, SigningKey.generate().publicKey(), KeyState.CURRENT), 1);
    }
  }

  @Test
  void fleetMayActForAKnownOperator() {
    Delegation delegation = Delegation.resolve(FLEET, "op-alice", List.of("fleet"), keys);

    assertThat(delegation.operator()).isEqualTo(ALICE);
    assertThat(delegation.via()).isEqualTo(FLEET);
  }

  @Test
  void anyOtherSignerMayNot() {
    for (Principal signer : List.of(DEPLOY, ALICE, BOT)) {
      assertThatThrownBy(() -> Delegation.resolve(signer, "op-alice", List.of("fleet"), keys))
          .isInstanceOfSatisfying(
              BotfleetException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(BotfleetException.Kind.PERMISSION_DENIED);
                assertThat(e.reason()).isEqualTo("ACTING_FOR_NOT_ALLOWED");
                assertThat(e.getMessage()).contains("botfleet-acting-for");
                assertThat(e.metadata()).containsEntry("field", "botfleet-acting-for");
              });
    }
  }

  @Test
  void onlyForAKnownActiveOperator() {
    assertThat(reason("op-nobody")).isEqualTo("ACTING_FOR_UNKNOWN");
    assertThat(reason("bot-1")).isEqualTo("ACTING_FOR_NOT_OPERATOR");
    assertThat(reason("svc-deploy")).isEqualTo("ACTING_FOR_NOT_OPERATOR");
    keys.revoke("op-alice", 2);
    assertThat(reason("op-alice")).isEqualTo("ACTING_FOR_UNKNOWN");
  }

  @Test
  void theHeaderIsOneAgentIdOrAbsent() throws Exception {
    assertThat(Delegation.header(null)).isNull();
    assertThat(Delegation.header(List.of())).isNull();
    assertThat(Delegation.header(List.of("op-alice"))).isEqualTo("op-alice");
    assertThatThrownBy(() -> Delegation.header(List.of("op-alice", "op-bob")))
        .isInstanceOf(RequestVerifier.Refusal.class)
        .hasMessageContaining("botfleet-acting-for");
    assertThatThrownBy(() -> Delegation.header(List.of("")))
        .isInstanceOf(RequestVerifier.Refusal.class);
    assertThatThrownBy(() -> Delegation.header(List.of("op alice")))
        .isInstanceOf(RequestVerifier.Refusal.class);
  }

  @Test
  void theVerifierChecksTheHeaderAgainstTheSignature() throws Exception {
    SigningKey key = SigningKey.generate();
    CachedKey cached = new CachedKey(FLEET, 1, key.publicKey(), KeyState.CURRENT);
    RequestVerifier verifier = new RequestVerifier(keys, Duration.ofSeconds(30));
    RequestSigner signer = new RequestSigner(() -> new Credentials("svc-fleet", 1, key));
    String method = "botfleet.deploy.v1.DeployService/CreateDeployment";
    byte[] body = {1, 2, 3};
    long now = System.currentTimeMillis();

    SignatureHeaders delegated = signer.sign(method, body, "op-alice");
    verifier.verify(method, cached, delegated, body, "op-alice", now);
    SignatureHeaders altered = signer.sign(method, body, "op-alice");
    assertThatThrownBy(() -> verifier.verify(method, cached, altered, body, "op-bob", now))
        .isInstanceOf(RequestVerifier.Refusal.class)
        .hasMessageContaining("bf-signature does not verify");
    SignatureHeaders dropped = signer.sign(method, body, "op-alice");
    assertThatThrownBy(() -> verifier.verify(method, cached, dropped, body, now))
        .isInstanceOf(RequestVerifier.Refusal.class);
    SignatureHeaders added = signer.sign(method, body);
    assertThatThrownBy(() -> verifier.verify(method, cached, added, body, "op-alice", now))
        .isInstanceOf(RequestVerifier.Refusal.class);
    // Without the header nothing changed: the seven-line string of docs/protocol.md.
    SignatureHeaders own = signer.sign(method, body);
    verifier.verify(method, cached, own, body, now);
    assertThat(own.canonical(method, CanonicalRequest.sha256Hex(body)).text().lines()).hasSize(7);
  }

  private String reason(String actingFor) {
    try {
      Delegation.resolve(FLEET, actingFor, List.of("fleet"), keys);
    } catch (BotfleetException e) {
      assertThat(e.kind()).isEqualTo(BotfleetException.Kind.PERMISSION_DENIED);
      assertThat(e.getMessage()).contains("botfleet-acting-for").contains(actingFor);
      return e.reason();
    }
    throw new AssertionError("acting for " + actingFor + " was accepted");
  }
}
