package io.botfleet.fleet.rest;

import static io.restassured.RestAssured.given;

import io.botfleet.devkit.TestPrincipal;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SignatureHeaders;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs REST gateway requests as a client must (docs/protocol.md, "Signing an HTTP request"), with
 * the production {@link RequestSigner}: the method line is {@code METHOD request-target} and the
 * body is the bytes sent.
 */
final class HttpSigning {

  private HttpSigning() {}

  /** The five headers for a request. */
  static Map<String, String> headers(
      TestPrincipal principal, String method, String target, byte[] body) {
    SignatureHeaders signed =
        new RequestSigner(principal::credentials).sign(method + " " + target, body);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("bf-agent", signed.agentId());
    headers.put("bf-key-version", Integer.toString(signed.keyVersion()));
    headers.put("bf-timestamp", Long.toString(signed.timestampMillis()));
    headers.put("bf-nonce", signed.nonce());
    headers.put("bf-signature", Base64.getEncoder().encodeToString(signed.signature()));
    return headers;
  }

  /**
   * A request for {@code target} (path and query exactly as sent: REST Assured's own encoding is
   * off) signed by {@code principal}; {@code json} may be null.
   */
  static RequestSpecification signed(
      TestPrincipal principal, String method, String target, String json) {
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    RequestSpecification spec =
        given().urlEncodingEnabled(false).headers(headers(principal, method, target, body));
    if (json != null) {
      spec = spec.contentType("application/json").body(body);
    }
    return spec;
  }
}
