package io.botfleet.identity.service;

import io.botfleet.common.error.BotfleetException;
import io.botfleet.common.error.InvalidArgumentException;
import io.botfleet.identity.config.IdentityConfig;
import io.botfleet.identity.domain.Identity;
import io.botfleet.identity.domain.Kind;
import io.botfleet.identity.domain.OneTimeTokens;
import io.botfleet.identity.domain.OperatorRole;
import io.botfleet.identity.domain.ProofOfPossession;
import io.botfleet.identity.domain.Registration;
import io.botfleet.identity.persistence.BootstrapTokenRepository;
import io.botfleet.identity.persistence.IdentityRepository;
import io.botfleet.signing.VerifyingKey;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * The way into a fresh installation. While no ADMIN operator exists, each start writes a new
 * one-time bootstrap token to the bootstrap file (mode 0600, readable by the service user only) and
 * stores its hash; BootstrapAdmin with that token makes the first ADMIN, after which every
 * bootstrap token is void and the file is deleted. See docs/operations.md.
 */
@ApplicationScoped
public class BootstrapService {

  @Inject IdentityConfig config;
  @Inject BootstrapTokenRepository tokens;
  @Inject IdentityRepository identityRows;
  @Inject AgentIdentityService identities;
  @Inject IdentityEvents events;

  void onStart(@Observes @Priority(60) StartupEvent event) {
    open();
  }

  /**
   * Writes a fresh bootstrap token if no administrator exists (replacing the one in the file), or
   * deletes a leftover file if one does. Returns true if a token was written. Runs at every start.
   */
  public boolean open() {
    Path file = config.bootstrapTokenFile().toAbsolutePath();
    boolean written =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  tokens.lock();
                  if (identityRows.liveAdminExists()) {
                    tokens.removeAll();
                    return false;
                  }
                  readToken(file).ifPresent(old -> tokens.remove(OneTimeTokens.hashHex(old)));
                  String token = OneTimeTokens.generate(OneTimeTokens.BOOTSTRAP);
                  tokens.add(OneTimeTokens.hashHex(token));
                  writeOwnerOnly(file, token);
                  return true;
                });
    if (written) {
      Log.infof(
          "No administrator yet: a one-time bootstrap token is in %s (readable by this user only)."
              + " Use it with BootstrapAdmin (fleetctl bootstrap); docs/operations.md",
          file);
    } else {
      deleteQuietly(file);
    }
    return written;
  }

  /**
   * Makes the first ADMIN operator with a bootstrap token and a proof that the caller holds the
   * private key of {@code key} (the enrollment challenge).
   *
   * @param publicKeyAsSent the public key exactly as the request spelled it
   */
  public Identity bootstrapAdmin(
      String token,
      String name,
      String organization,
      VerifyingKey key,
      String publicKeyAsSent,
      byte[] signature) {
    if (!OneTimeTokens.wellFormed(token, OneTimeTokens.BOOTSTRAP)) {
      throw new InvalidArgumentException(
          "bootstrap_token", "must be bfb_ followed by 43 base64url characters");
    }
    Registration registration =
        new Registration(
            name,
            organization,
            Kind.OPERATOR,
            OperatorRole.ADMIN,
            "operator",
            null,
            null,
            null,
            null,
            null,
            List.of(),
            null,
            Map.of(),
            key,
            "first administrator (bootstrap)",
            null);
    registration.check();
    Identity admin =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  tokens.lock();
                  if (identityRows.liveAdminExists()) {
                    throw BotfleetException.failedPrecondition(
                        "BOOTSTRAP_DONE",
                        "an administrator exists already; ask an administrator for an enrollment"
                            + " token",
                        Map.of());
                  }
                  if (!tokens.exists(OneTimeTokens.hashHex(token))) {
                    throw BotfleetException.permissionDenied(
                        "BOOTSTRAP_TOKEN_INVALID",
                        "unknown bootstrap token; use the one in identity-service's bootstrap file"
                            + " (it changes at every start)");
                  }
                  if (!ProofOfPossession.holds(
                      key, ProofOfPossession.enrollment(name, publicKeyAsSent, token), signature)) {
                    throw new InvalidArgumentException(
                        "challenge_signature",
                        "does not verify with public_key over the enrollment challenge"
                            + " (docs/protocol.md)");
                  }
                  Identity created = identities.register(registration, null);
                  tokens.removeAll();
                  events.record(
                      identityRows.findById(created.id()),
                      "fleet.admin_bootstrapped",
                      created.id(),
                      Map.of(
                          "agent_id", created.id(),
                          "name", created.name(),
                          "organization", created.organization()));
                  return created;
                });
    deleteQuietly(config.bootstrapTokenFile().toAbsolutePath());
    Log.infof("First administrator %s (%s) bootstrapped", admin.name(), admin.id());
    return admin;
  }

  private static java.util.Optional<String> readToken(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        return java.util.Optional.empty();
      }
      String token = Files.readString(file, StandardCharsets.UTF_8).trim();
      return OneTimeTokens.wellFormed(token, OneTimeTokens.BOOTSTRAP)
          ? java.util.Optional.of(token)
          : java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  /** Writes the token so that no one but the service user can ever read it, then moves it in. */
  private static void writeOwnerOnly(Path file, String token) {
    try {
      Path directory = file.getParent();
      Files.createDirectories(directory);
      Path temporary;
      try {
        temporary =
            Files.createTempFile(
                directory,
                ".bootstrap-token",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        temporary = Files.createTempFile(directory, ".bootstrap-token", ".tmp");
      }
      Files.writeString(temporary, token + "\n", StandardCharsets.UTF_8);
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the bootstrap token to "
              + file
              + "; set botfleet.identity.bootstrap-token-file to a writable path",
          e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      if (Files.deleteIfExists(file)) {
        Log.infof("Bootstrap token file %s deleted: an administrator exists", file);
      }
    } catch (IOException e) {
      Log.warnf("Cannot delete the used bootstrap token file %s: %s", file, e.getMessage());
    }
  }
}
