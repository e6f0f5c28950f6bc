package io.botfleet.deploy.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The guide's deployment id: {@code deploy-} and the first 12 hex digits of the SHA-256 of {@code
 * {version}-{group}-{time}} (time as ISO-8601 UTC).
 */
public final class DeploymentIds {

  private DeploymentIds() {}

  /** The id of a deployment of {@code version} to {@code group} created at {@code time}. */
  public static String of(String version, String group, Instant time) {
    String seed = version + "-" + group + "-" + time;
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      return "deploy-" + HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
