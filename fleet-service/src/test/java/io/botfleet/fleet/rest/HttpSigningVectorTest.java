package io.botfleet.fleet.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.signing.CanonicalRequest;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SignatureHeaders;
import io.botfleet.signing.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The HTTP test vectors of docs/protocol.md ("Signing an HTTP request"). The signatures were also
 * produced by {@code openssl pkeyutl -sign -rawin}, so they hold for any Ed25519 implementation.
 */
class HttpSigningVectorTest {

  static final SigningKey RFC8032_KEY =
      SigningKey.fromSeed(
          HexFormat.of()
              .parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  static final String AGENT = "op-0123456789abcdef";
  static final String NONCE = "AAECAwQFBgcICQoLDA0ODw";
  static final long TIMESTAMP = 1767225600000L;

  final RequestSigner signer = new RequestSigner(() -> new Credentials(AGENT, 1, RFC8032_KEY));

  @Test
  void aPostSignsItsMethodLineAndItsBodyAsSent() {
    String body =
        "{\"scope\":{\"group\":\"spot-arb\"},\"reason\":\"exchange maintenance\","
            + "\"request_id\":\"a4c1e2d3-0000-4000-8000-000000000010\"}";
    String line = SignedHttpRequests.methodLine("POST", "/api/v1/commands/pause");
    String hash = CanonicalRequest.sha256Hex(body.getBytes(StandardCharsets.UTF_8));
    SignatureHeaders headers = signer.sign(line, hash, TIMESTAMP, NONCE);

    assertThat(hash).isEqualTo("c6d98a906b8253313d35ef13e256b92de06bf88da0132fafb5ace7fd74b4f529");
    assertThat(headers.canonical(line, hash).text())
        .isEqualTo(
            "BOTFLEET-ED25519-V1\nPOST /api/v1/commands/pause\nop-0123456789abcdef\n1\n"
                + "1767225600000\nAAECAwQFBgcICQoLDA0ODw\n"
                + "c6d98a906b8253313d35ef13e256b92de06bf88da0132fafb5ace7fd74b4f529");
    assertThat(Base64.getEncoder().encodeToString(headers.signature()))
        .isEqualTo(
            "vigCRdDn855wma4O2CxuEP6LZKgx2sUhyfOCtbyB5KXoV6ikM/0fBYwffXSwcHfjfkPDMIr/uG8u4NTLF6t/Dg==");
    assertThat(
            RFC8032_KEY
                .publicKey()
                .verify(headers.canonical(line, hash).bytes(), headers.signature()))
        .isTrue();
  }

  @Test
  void aGetSignsItsQueryStringAndAnEmptyBody() {
    String line =
        SignedHttpRequests.methodLine("GET", "/api/v1/bots?group=spot-arb&statuses=ACTIVE");
    SignatureHeaders headers =
        signer.sign(line, CanonicalRequest.EMPTY_BODY_SHA256, TIMESTAMP, NONCE);

    assertThat(Base64.getEncoder().encodeToString(headers.signature()))
        .isEqualTo(
            "odLSJLxXbHV4ZJifcfxNs7vTl90NJDxlIX8tb8Li7rbzBHclEJxO2IVoWjEYEJbW2NB2Kl2tvG3wKXD3IvCsCw==");
    // Another query string is another request: the signature does not carry over.
    String other = SignedHttpRequests.methodLine("GET", "/api/v1/bots?group=spot-arb");
    assertThat(
            RFC8032_KEY
                .publicKey()
                .verify(
                    headers.canonical(other, CanonicalRequest.EMPTY_BODY_SHA256).bytes(),
                    headers.signature()))
        .isFalse();
  }
}
