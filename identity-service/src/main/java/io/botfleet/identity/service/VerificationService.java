package io.botfleet.identity.service;

import io.botfleet.common.auth.Caller;
import io.botfleet.common.error.BotfleetException;
import io.botfleet.identity.domain.Identity;
import io.botfleet.identity.domain.KeyVersion;
import io.botfleet.identity.domain.Kind;
import io.botfleet.identity.domain.RegistryCheck;
import io.botfleet.identity.domain.RegistryMatch;
import io.botfleet.identity.domain.SignatureCheck;
import io.botfleet.identity.greenhelix.IdentityRegistry;
import io.botfleet.identity.persistence.IdentityEntity;
import io.botfleet.identity.persistence.IdentityKeyEntity;
import io.botfleet.identity.persistence.IdentityKeyRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verification: a signature against any key version an identity ever had (so history stays
 * verifiable after rotations and revocations), and our record against the GreenHelix registry.
 */
@ApplicationScoped
public class VerificationService {

  @Inject AgentIdentityService identities;
  @Inject IdentityKeyRepository keys;
  @Inject IdentityRegistry registry;
  @Inject IdentityEvents events;

  /** Verifies {@code signature} of {@code message} with one key version of an identity. */
  @Transactional
  public SignatureCheck verifySignature(
      String agentId, int keyVersion, byte[] message, byte[] signature) {
    IdentityEntity identity = identities.find(agentId);
    IdentityKeyEntity key =
        keys.find(agentId, keyVersion)
            .orElseThrow(
                () ->
                    BotfleetException.notFound(
                        "KEY_VERSION_NOT_FOUND",
                        "identity " + agentId + " never had key version " + keyVersion,
                        Map.of("agent_id", agentId, "key_version", Integer.toString(keyVersion))));
    boolean valid = key.toDomain().publicKey().verify(message, signature);
    return new SignatureCheck(valid, key.status, identity.status);
  }

  /**
   * Compares our record of an identity's key with the GreenHelix registry (get_agent_identity). A
   * mismatch is logged and recorded as {@code fleet.identity_registry_mismatch}: possible key
   * tampering.
   */
  public RegistryCheck verifyIdentity(String agentId) {
    Identity identity = identities.get(agentId);
    String local = identity.publicKey() == null ? "" : identity.publicKey().base64();
    if (!registry.enabled()) {
      return new RegistryCheck(
          RegistryMatch.REGISTRY_DISABLED,
          local,
          "",
          "GreenHelix is disabled in this installation (botfleet.greenhelix.enabled)");
    }
    if (identity.kind() != Kind.BOT) {
      return new RegistryCheck(
          RegistryMatch.NOT_REGISTERED, local, "", "only bots are registered with GreenHelix");
    }
    if (identity.greenhelixAgentId() == null) {
      return new RegistryCheck(
          RegistryMatch.NOT_REGISTERED,
          local,
          "",
          identity.publicKey() == null
              ? "the bot has not enrolled its key yet; it is registered when it does"
              : "register_agent has not been delivered to GreenHelix yet (see the outbox)");
    }
    Optional<String> registered = registry.registeredKey(identity.greenhelixAgentId());
    if (registered.isEmpty()) {
      return new RegistryCheck(
          RegistryMatch.NOT_REGISTERED,
          local,
          "",
          "GreenHelix does not know agent " + identity.greenhelixAgentId());
    }
    List<KeyVersion> history = identities.keysOf(agentId);
    RegistryCheck check = RegistryCheck.compare(identity.publicKey(), history, registered.get());
    if (check.match() == RegistryMatch.MISMATCH) {
      Log.warnf(
          "Public key mismatch for %s (%s) with the GreenHelix registry: possible key tampering",
          identity.name(), agentId);
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("agent_id", agentId);
                payload.put("bot_name", identity.name());
                payload.put("local_public_key", check.localPublicKey());
                payload.put("registry_public_key", check.registryPublicKey());
                payload.put("greenhelix_agent_id", identity.greenhelixAgentId());
                events.record(
                    identities.find(agentId),
                    "fleet.identity_registry_mismatch",
                    Caller.agentIdOrAnonymous(),
                    payload);
              });
    }
    return check;
  }
}
