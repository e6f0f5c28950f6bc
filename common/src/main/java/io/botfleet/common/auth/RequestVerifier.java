package io.botfleet.common.auth;

import io.botfleet.signing.CanonicalRequest;
import io.botfleet.signing.SignatureHeaders;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The checks of docs/protocol.md on one signed request, with no gRPC in sight: well-formed headers,
 * the skew window, a key that accepts requests, the signature over the body as received, and the
 * nonce. The server interceptor adds the access rule and the gRPC plumbing around it.
 */
public final class RequestVerifier {

  /** Why a request is refused (each maps to UNAUTHENTICATED). */
  public static final class Refusal extends Exception {
    Refusal(String message) {
      super(message, null, false, false);
    }
  }

  private final KeyCache keys;
  private final NonceCache nonces = new NonceCache();
  private final long skewMillis;

  /** A verifier over a key cache with a skew window. */
  public RequestVerifier(KeyCache keys, Duration skew) {
    this.keys = keys;
    this.skewMillis = skew.toMillis();
  }

  /**
   * Parses the five signature headers (their raw values, any may be null).
   *
   * @throws Refusal naming the header that is missing or malformed
   */
  public static SignatureHeaders parse(
      String agent, String version, String timestamp, String nonce, String signature)
      throws Refusal {
    required(agent, "bf-agent");
    required(version, "bf-key-version");
    required(timestamp, "bf-timestamp");
    required(nonce, "bf-nonce");
    required(signature, "bf-signature");
    int keyVersion;
    long timestampMillis;
    try {
      keyVersion = Integer.parseInt(version);
      timestampMillis = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      throw new Refusal("bf-key-version and bf-timestamp must be decimal numbers");
    }
    byte[] nonceBytes;
    byte[] signatureBytes;
    try {
      nonceBytes = Base64.getUrlDecoder().decode(nonce);
      signatureBytes = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      throw new Refusal("bf-nonce or bf-signature is not valid base64");
    }
    if (nonceBytes.length != 16) {
      throw new Refusal("bf-nonce must be 16 bytes, base64url");
    }
    if (signatureBytes.length != 64) {
      throw new Refusal("bf-signature must be 64 bytes, base64");
    }
    return new SignatureHeaders(agent, keyVersion, timestampMillis, nonce, signatureBytes);
  }

  /**
   * The key a request claims, if its timestamp is in the window and the key accepts requests.
   *
   * @throws Refusal otherwise
   */
  public CachedKey claimedKey(SignatureHeaders signed, long nowMillis) throws Refusal {
    if (Math.abs(nowMillis - signed.timestampMillis()) > skewMillis) {
      throw new Refusal(
          "bf-timestamp is outside the " + skewMillis / 1000 + " s window of the server clock");
    }
    Optional<CachedKey> key = keys.find(signed.agentId(), signed.keyVersion());
    if (key.isEmpty()) {
      throw new Refusal("unknown agent, key version or revoked identity");
    }
    return key.get();
  }

  /**
   * Verifies the signature over {@code body} (the bytes received; empty for streams) and uses up
   * the nonce.
   *
   * @throws Refusal if the signature does not verify or the nonce was used
   */
  public void verify(
      String fullMethod, CachedKey key, SignatureHeaders signed, byte[] body, long nowMillis)
      throws Refusal {
    verify(fullMethod, key, signed, body, null, nowMillis);
  }

  /**
   * Verifies the signature over {@code body} and the {@code botfleet-acting-for} value received
   * (null: none; a request signed without it never verifies with it, nor the reverse), and uses up
   * the nonce.
   *
   * @throws Refusal if the signature does not verify or the nonce was used
   */
  public void verify(
      String fullMethod,
      CachedKey key,
      SignatureHeaders signed,
      byte[] body,
      String actingFor,
      long nowMillis)
      throws Refusal {
    CanonicalRequest canonical =
        signed.canonical(fullMethod, CanonicalRequest.sha256Hex(body), actingFor);
    if (!key.key().verify(canonical.bytes(), signed.signature())) {
      throw new Refusal("bf-signature does not verify");
    }
    if (!nonces.firstUse(signed.nonce(), signed.timestampMillis() + skewMillis, nowMillis)) {
      throw new Refusal("bf-nonce was used already (replay)");
    }
  }

  private static void required(String value, String header) throws Refusal {
    if (value == null || value.isEmpty()) {
      throw new Refusal("missing " + header + " (the call is not signed)");
    }
  }
}
