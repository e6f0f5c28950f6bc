package io.botfleet.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Known-answer vectors of docs/protocol.md. The expected signatures were also produced by {@code
 * openssl pkeyutl -sign -rawin}, so they hold for any correct Ed25519 implementation.
 */
class CanonicalRequestTest {

  static final SigningKey RFC8032_KEY =
      SigningKey.fromSeed(
          HexFormat.of()
              .parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  static final String AGENT = "bot-0123456789abcdef";
  static final String NONCE = "AAECAwQFBgcICQoLDA0ODw";
  static final long TIMESTAMP = 1767225600000L;
  static final String GET_BOT = "botfleet.fleet.v1.FleetService/GetBot";

  /** GetBotRequest{bot_id: "bot-0123456789abcdef"} as protobuf bytes. */
  static final byte[] GET_BOT_BODY =
      HexFormat.of().parseHex("0a14626f742d30313233343536373839616263646566");

  final RequestSigner signer = new RequestSigner(() -> new Credentials(AGENT, 1, RFC8032_KEY));

  @Test
  void bouncyCastleSignsLikeRfc8032TestVectorOne() {
    assertThat(RFC8032_KEY.publicKey().raw())
        .isEqualTo(
            HexFormat.of()
                .parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    assertThat(HexFormat.of().formatHex(RFC8032_KEY.sign(new byte[0])))
        .isEqualTo(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
                + "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  }

  @Test
  void unaryVectorGivesTheDocumentedCanonicalStringAndSignature() {
    String bodyHash = CanonicalRequest.sha256Hex(GET_BOT_BODY);
    SignatureHeaders headers = signer.sign(GET_BOT, bodyHash, TIMESTAMP, NONCE);

    assertThat(bodyHash)
        .isEqualTo("b125ed8f42abce435214c2c4be524d35bfe03bd83ab8ab9705f4397a0180ceaf");
    assertThat(headers.canonical(GET_BOT, bodyHash).text())
        .isEqualTo(
            "BOTFLEET-ED25519-V1\nbotfleet.fleet.v1.FleetService/GetBot\nbot-0123456789abcdef\n"
                + "1\n1767225600000\nAAECAwQFBgcICQoLDA0ODw\n"
                + "b125ed8f42abce435214c2c4be524d35bfe03bd83ab8ab9705f4397a0180ceaf");
    assertThat(Base64.getEncoder().encodeToString(headers.signature()))
        .isEqualTo(
            "EXINr19y1D5uMYyhWNaXz3CU5LJe1pLVkI/2FphqRbnDhwgF/wveDKyQcupak8xPxI+U7CxwwlRLteXQxnEcBA==");
  }

  @Test
  void streamVectorSignsTheHashOfZeroBytes() {
    SignatureHeaders headers =
        signer.sign(
            "botfleet.health.v1.FleetHealthService/StreamHeartbeats",
            CanonicalRequest.EMPTY_BODY_SHA256,
            TIMESTAMP,
            NONCE);

    assertThat(CanonicalRequest.EMPTY_BODY_SHA256)
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(Base64.getEncoder().encodeToString(headers.signature()))
        .isEqualTo(
            "m8Z11jz9tuj8Dp9DIcKkZWcDiprFSsX1kOQ8yeVwrHfq81tx+amXumf8K3WWEaQ5r6Vf2Krp2xetMwzSBKfiAA==");
  }

  @Test
  void aFlippedByteAnywhereFailsVerification() {
    String bodyHash = CanonicalRequest.sha256Hex(GET_BOT_BODY);
    SignatureHeaders headers = signer.sign(GET_BOT, bodyHash, TIMESTAMP, NONCE);
    byte[] canonical = headers.canonical(GET_BOT, bodyHash).bytes();
    VerifyingKey key = RFC8032_KEY.publicKey();
    assertThat(key.verify(canonical, headers.signature())).isTrue();

    byte[] badSignature = headers.signature().clone();
    badSignature[17] ^= 0x01;
    assertThat(key.verify(canonical, badSignature)).isFalse();

    byte[] otherBody = GET_BOT_BODY.clone();
    otherBody[otherBody.length - 1] ^= 0x01;
    byte[] otherCanonical =
        headers.canonical(GET_BOT, CanonicalRequest.sha256Hex(otherBody)).bytes();
    assertThat(key.verify(otherCanonical, headers.signature())).isFalse();
  }

  @Test
  void actingForVectorSignsAnEighthLineAndNeverVerifiesWithoutIt() {
    String method = "botfleet.deploy.v1.DeployService/ListDeployments";
    RequestSigner fleet = new RequestSigner(() -> new Credentials("svc-fleet", 1, RFC8032_KEY));
    SignatureHeaders headers =
        fleet.sign(
            method, CanonicalRequest.EMPTY_BODY_SHA256, TIMESTAMP, NONCE, "op-0123456789abcdef");

    CanonicalRequest delegated =
        headers.canonical(method, CanonicalRequest.EMPTY_BODY_SHA256, "op-0123456789abcdef");
    assertThat(delegated.text())
        .isEqualTo(
            "BOTFLEET-ED25519-V1\nbotfleet.deploy.v1.DeployService/ListDeployments\nsvc-fleet\n"
                + "1\n1767225600000\nAAECAwQFBgcICQoLDA0ODw\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                + "botfleet-acting-for:op-0123456789abcdef");
    assertThat(Base64.getEncoder().encodeToString(headers.signature()))
        .isEqualTo(
            "Xc9bQWUTYzw0JGhWRsTxVyh3xpaqc5GnlNyAo/B3z7UmXJFkv3BDyxJuBBzpdO1jVYJbD3MIJRPG2WSxqFt/Ag==");
    VerifyingKey key = RFC8032_KEY.publicKey();
    assertThat(key.verify(delegated.bytes(), headers.signature())).isTrue();
    // Dropped, or naming someone else: the signature no longer covers what is received.
    assertThat(
            key.verify(
                headers.canonical(method, CanonicalRequest.EMPTY_BODY_SHA256).bytes(),
                headers.signature()))
        .isFalse();
    assertThat(
            key.verify(
                headers
                    .canonical(method, CanonicalRequest.EMPTY_BODY_SHA256, "op-fedcba9876543210")
                    .bytes(),
                headers.signature()))
        .isFalse();
    // And a call signed on the signer's own account does not verify with a header added.
    SignatureHeaders own = fleet.sign(method, CanonicalRequest.EMPTY_BODY_SHA256, TIMESTAMP, NONCE);
    assertThat(
            key.verify(
                own.canonical(method, CanonicalRequest.EMPTY_BODY_SHA256, "op-0123456789abcdef")
                    .bytes(),
                own.signature()))
        .isFalse();
  }

  @Test
  void anotherKeyDoesNotVerify() {
    byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
    byte[] signature = RFC8032_KEY.sign(message);
    assertThat(SigningKey.generate().publicKey().verify(message, signature)).isFalse();
  }

  @Test
  void noncesAre16RandomBytesInBase64Url() {
    String nonce = RequestSigner.newNonce();
    assertThat(nonce).hasSize(22).matches("[A-Za-z0-9_-]{22}");
    assertThat(Base64.getUrlDecoder().decode(nonce)).hasSize(16);
    assertThat(RequestSigner.newNonce()).isNotEqualTo(nonce);
  }
}
