package io.botfleet.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.botfleet.signing.SigningKey;
import io.botfleet.signing.VerifyingKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryCheckTest {

  private final VerifyingKey v1 = SigningKey.generate().publicKey();
  private final VerifyingKey v2 = SigningKey.generate().publicKey();
  private final List<KeyVersion> history =
      List.of(
          new KeyVersion("bot-1", 1, v1, KeyStatus.RETIRED, Instant.EPOCH, Instant.EPOCH),
          new KeyVersion("bot-1", 2, v2, KeyStatus.CURRENT, Instant.EPOCH, null));

  @Test
  void theCurrentKeyMatchesWhateverBase64AlphabetTheRegistryUses() {
    String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(v2.raw());

    assertThat(RegistryCheck.compare(v2, history, v2.base64()).match())
        .isEqualTo(RegistryMatch.MATCH);
    assertThat(RegistryCheck.compare(v2, history, urlSafe).match()).isEqualTo(RegistryMatch.MATCH);
  }

  @Test
  void anEarlierKeyOfTheSameIdentityIsOutdatedNotTampering() {
    RegistryCheck check = RegistryCheck.compare(v2, history, v1.base64());

    assertThat(check.match()).isEqualTo(RegistryMatch.OUTDATED);
    assertThat(check.message()).contains("version 1");
  }

  @Test
  void aKeyThisIdentityNeverHadIsAMismatch() {
    RegistryCheck check =
        RegistryCheck.compare(v2, history, SigningKey.generate().publicKey().base64());

    assertThat(check.match()).isEqualTo(RegistryMatch.MISMATCH);
    assertThat(check.message()).contains("tampering");
  }

  @Test
  void aMissingOrMalformedRegistryKeyIsAMismatch() {
    assertThat(RegistryCheck.compare(v2, history, "").match()).isEqualTo(RegistryMatch.MISMATCH);
    assertThat(RegistryCheck.compare(v2, history, "not a key").match())
        .isEqualTo(RegistryMatch.MISMATCH);
  }
}
