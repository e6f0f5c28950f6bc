package io.botfleet.sdk;

import io.botfleet.identity.v1.EnrollBotRequest;
import io.botfleet.identity.v1.EnrollBotResponse;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.SigningKey;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Enrollment with a one-time token (docs/protocol.md): the bot makes its own keypair, proves that
 * it holds the private key by signing the enrollment challenge, and keeps the key only if identity-
 * service accepts it. The private key never leaves the bot. The key is kept on disk before the
 * request is sent, so that a lost answer is retried with the same key.
 */
final class Enrollment {

  private static final System.Logger LOG = System.getLogger(Enrollment.class.getName());

  /** Worth retrying: the service may not have seen the request, or will answer differently soon. */
  private static final Set<Status.Code> RETRYABLE =
      Set.of(
          Status.Code.UNAVAILABLE,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.ABORTED);

  private Enrollment() {}

  /**
   * Enrolls {@code name} with {@code token} over an unsigned channel to identity-service (EnrollBot
   * is public: the token is the credential).
   */
  static Credentials enroll(
      Channel identity,
      CredentialStore store,
      String name,
      String token,
      Duration callTimeout,
      Duration enrollTimeout,
      Backoff backoff)
      throws EnrollmentException, IOException, InterruptedException {
    SigningKey key = store.enrollingKey().orElse(null);
    if (key == null) {
      key = SigningKey.generate();
      store.saveEnrollingKey(name, key);
    }
    String publicKey = key.publicKey().base64();
    EnrollBotRequest request =
        EnrollBotRequest.newBuilder()
            .setToken(token)
            .setName(name)
            .setPublicKey(publicKey)
            .setChallengeSignature(
                ProofOfPossession.sign(
                    key, ProofOfPossession.enrollmentChallenge(name, publicKey, token)))
            .build();
    long deadline = System.nanoTime() + enrollTimeout.toNanos();
    while (true) {
      try {
        EnrollBotResponse response =
            IdentityServiceGrpc.newBlockingStub(identity)
                .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .enrollBot(request);
        Credentials credentials =
            new Credentials(
                response.getIdentity().getId(),
                Math.max(1, response.getIdentity().getKeyVersion()),
                key);
        store.enrolled(credentials);
        LOG.log(
            System.Logger.Level.INFO,
            "{0}: enrolled as {1}, key version {2}{3}",
            name,
            credentials.agentId(),
            credentials.keyVersion(),
            store.keyFile() == null ? "" : ", key file " + store.keyFile());
        return credentials;
      } catch (StatusRuntimeException e) {
        Status status = e.getStatus();
        if (!RETRYABLE.contains(status.getCode())) {
          throw new EnrollmentException(
              name + ": enrollment refused: " + HeartbeatStream.describe(status), e);
        }
        long delay = backoff.nextDelayMillis();
        if (System.nanoTime() + delay * 1_000_000 > deadline) {
          throw new EnrollmentException(
              name
                  + ": identity-service unreachable for "
                  + enrollTimeout.toSeconds()
                  + " s: "
                  + HeartbeatStream.describe(status),
              e);
        }
        LOG.log(
            System.Logger.Level.WARNING,
            "{0}: enrollment failed ({1}); retrying in {2} ms",
            name,
            HeartbeatStream.describe(status),
            delay);
        Thread.sleep(delay);
      }
    }
  }
}
