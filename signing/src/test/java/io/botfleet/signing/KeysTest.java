package io.botfleet.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysTest {

  @TempDir Path dir;

  @Test
  void malformedPublicKeysAreRefusedWithTheReason() {
    assertThatThrownBy(() -> VerifyingKey.fromBase64("not base64 !"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("public key is not valid base64");
    assertThatThrownBy(
            () -> VerifyingKey.fromBase64(Base64.getEncoder().encodeToString(new byte[31])))
        .hasMessage("an Ed25519 public key is 32 bytes, got 31");
    assertThatThrownBy(() -> VerifyingKey.fromBase64(" ")).hasMessage("public key is empty");
  }

  @Test
  void urlSafeAndUnpaddedBase64AreAccepted() {
    VerifyingKey key = SigningKey.generate().publicKey();
    String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(key.raw());
    assertThat(VerifyingKey.fromBase64(urlSafe)).isEqualTo(key);
  }

  @Test
  void signaturesOfTheWrongLengthNeverVerify() {
    SigningKey key = SigningKey.generate();
    assertThat(key.publicKey().verify(new byte[] {1}, new byte[63])).isFalse();
    assertThat(key.publicKey().verify(new byte[] {1}, null)).isFalse();
  }

  @Test
  void theToStringOfAPrivateKeyNeverShowsIt() {
    SigningKey key = SigningKey.generate();
    assertThat(key.toString()).contains("<redacted>").doesNotContain(key.seedBase64());
  }

  @Test
  void keyFilesRoundTripWithOwnerOnlyPermissions() throws Exception {
    Path file = dir.resolve("bot.key");
    Credentials credentials = new Credentials("bot-0000000000000001", 3, SigningKey.generate());
    KeyFile.write(file, credentials);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    Credentials read = KeyFile.read(file);
    assertThat(read.agentId()).isEqualTo("bot-0000000000000001");
    assertThat(read.keyVersion()).isEqualTo(3);
    assertThat(read.key().publicKey()).isEqualTo(credentials.key().publicKey());
  }

  @Test
  void aKeyFileWithoutAFieldNamesIt() throws Exception {
    Path file = dir.resolve("broken.key");
    Files.writeString(file, "agent_id=bot-1\nprivate_key=AAAA\n");
    assertThatThrownBy(() -> KeyFile.read(file)).hasMessageEndingWith("key_version is missing");
  }

  @Test
  void destroyOverwritesAndDeletesTheKey() throws Exception {
    Path file = dir.resolve("doomed.key");
    KeyFile.write(file, new Credentials("bot-2", 1, SigningKey.generate()));
    KeyFile.destroy(file);
    assertThat(file).doesNotExist();
    KeyFile.destroy(file);
  }
}
