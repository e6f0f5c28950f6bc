package io.botfleet.sim;

import io.botfleet.identity.v1.BootstrapAdminRequest;
import io.botfleet.identity.v1.BootstrapAdminResponse;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.sdk.ProofOfPossession;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.KeyFile;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SigningClientInterceptor;
import io.botfleet.signing.SigningKey;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * The operator a demo or a test acts as: the first administrator of a fresh installation, made with
 * identity-service's one-time bootstrap token (docs/operations.md), its key kept in a key file
 * (0600) so that later runs sign as the same administrator.
 */
public final class OperatorKey {

  private final Credentials credentials;

  private OperatorKey(Credentials credentials) {
    this.credentials = credentials;
  }

  /** An operator whose key is already in memory. */
  public static OperatorKey of(Credentials credentials) {
    return new OperatorKey(credentials);
  }

  /**
   * The administrator of {@code keyFile}, or, when there is none yet, a new one made with the
   * bootstrap token in {@code bootstrapTokenFile} and written to {@code keyFile}.
   *
   * @throws IllegalStateException with what to do, when neither file is there or the token is
   *     refused
   */
  public static OperatorKey adminFrom(
      Path keyFile, Path bootstrapTokenFile, Channel identity, String name, String organization)
      throws IOException {
    if (Files.exists(keyFile)) {
      return new OperatorKey(KeyFile.read(keyFile));
    }
    if (!Files.exists(bootstrapTokenFile)) {
      throw new IllegalStateException(
          "no administrator key in "
              + keyFile
              + " and no bootstrap token in "
              + bootstrapTokenFile
              + ": this installation already has an administrator made by someone else."
              + " Start from a fresh database (./fleet down && rm -rf .fleet/pg) or copy that"
              + " administrator's key file to "
              + keyFile);
    }
    String token = Files.readString(bootstrapTokenFile, StandardCharsets.UTF_8).strip();
    SigningKey key = SigningKey.generate();
    String publicKey = key.publicKey().base64();
    BootstrapAdminResponse answer;
    try {
      answer =
          IdentityServiceGrpc.newBlockingStub(identity)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .bootstrapAdmin(
                  BootstrapAdminRequest.newBuilder()
                      .setBootstrapToken(token)
                      .setName(name)
                      .setOrganization(organization)
                      .setPublicKey(publicKey)
                      .setChallengeSignature(
                          ProofOfPossession.sign(
                              key, ProofOfPossession.enrollmentChallenge(name, publicKey, token)))
                      .build());
    } catch (StatusRuntimeException e) {
      throw new IllegalStateException(
          "identity-service refused the bootstrap token of " + bootstrapTokenFile + ": " + e, e);
    }
    Credentials credentials =
        new Credentials(answer.getIdentity().getId(), answer.getIdentity().getKeyVersion(), key);
    Path dir = keyFile.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      // Only its owner may list it, as fleetctl makes its home.
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    KeyFile.write(keyFile, credentials);
    return new OperatorKey(credentials);
  }

  /** The operator's agent id. */
  public String agentId() {
    return credentials.agentId();
  }

  /** Its credentials. */
  public Credentials credentials() {
    return credentials;
  }

  /** {@code channel} with every call signed as this operator. */
  public Channel sign(Channel channel) {
    return ClientInterceptors.intercept(
        channel, new SigningClientInterceptor(new RequestSigner(() -> credentials)));
  }
}
