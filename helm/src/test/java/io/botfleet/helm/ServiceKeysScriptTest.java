package io.botfleet.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** helm/service-keys.sh makes the Secrets the chart mounts, with keys that belong together. */
class ServiceKeysScriptTest {

  private static final byte[] PKCS8_PREFIX =
      HexFormat.of().parseHex("302e020100300506032b657004220420");
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  @Test
  void makesOneSecretPerServiceWithAMatchingKeyPairInTheProtocolsFileFormat() throws Exception {
    List<Secret> secrets = run("-n", "trading", "-v", "3", "fleet", "health");

    assertThat(secrets)
        .extracting(s -> s.getMetadata().getName())
        .containsExactly("botfleet-fleet-key", "botfleet-health-key");
    for (Secret secret : secrets) {
      String service = secret.getMetadata().getLabels().get("app.kubernetes.io/component");
      assertThat(secret.getMetadata().getNamespace()).isEqualTo("trading");
      Properties keyFile = new Properties();
      keyFile.load(new StringReader(decode(secret, "service.key")));
      assertThat(keyFile.getProperty("agent_id")).isEqualTo("svc-" + service);
      assertThat(keyFile.getProperty("key_version")).isEqualTo("3");
      byte[] seed = Base64.getDecoder().decode(keyFile.getProperty("private_key"));
      byte[] publicKey = Base64.getDecoder().decode(decode(secret, "public-key"));
      assertThat(seed).hasSize(32);
      assertThat(publicKey).hasSize(32);
      assertThat(signsAndVerifies(seed, publicKey)).as(service + " key pair").isTrue();
    }
  }

  @Test
  void theSecretsAreTheOnesTheChartMounts() throws Exception {
    List<Secret> secrets = run();
    Rendered rendered = Chart.render(ServicesTest.MINIMAL);
    assertThat(secrets).hasSize(Chart.SERVICES.size());
    for (String service : Chart.SERVICES) {
      Volume key =
          ServicesTest.pod(rendered, service).getVolumes().stream()
              .filter(v -> v.getName().equals("service-key"))
              .findFirst()
              .get();
      Secret secret =
          secrets.stream()
              .filter(s -> s.getMetadata().getName().equals(key.getSecret().getSecretName()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no Secret for " + service));
      assertThat(secret.getData()).containsKey(key.getSecret().getItems().get(0).getKey());
      assertThat(secret.getData()).containsKey("public-key");
    }
  }

  @Test
  void aReleaseWithoutBotfleetInItsNameGetsThePrefixedNames() throws Exception {
    assertThat(run("-r", "prod", "billing"))
        .extracting(s -> s.getMetadata().getName())
        .containsExactly("prod-botfleet-billing-key");
  }

  private static boolean signsAndVerifies(byte[] seed, byte[] publicKey) throws Exception {
    KeyFactory keys = KeyFactory.getInstance("Ed25519");
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(keys.generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed))));
    byte[] message = "BOTFLEET-ED25519-V1".getBytes(StandardCharsets.UTF_8);
    signer.update(message);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(
        keys.generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, publicKey))));
    verifier.update(message);
    return verifier.verify(signature);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = new byte[a.length + b.length];
    System.arraycopy(a, 0, joined, 0, a.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static String decode(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static List<Secret> run(String... args) throws Exception {
    assumeTrue(onPath("openssl") && onPath("kubectl"), "openssl and kubectl are not installed");
    List<String> command = new java.util.ArrayList<>();
    command.add(Chart.ROOT.resolve("helm/service-keys.sh").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(errors).isZero();
    return Chart.parse("service-keys.sh", yaml).all(Secret.class);
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
