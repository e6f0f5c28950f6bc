package io.botfleet.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OneTimeTokensTest {

  @Test
  void anEnrollmentTokenIsBfeAnd43Base64UrlCharacters() {
    String token = OneTimeTokens.generate(OneTimeTokens.ENROLLMENT);

    assertThat(token).matches("bfe_[A-Za-z0-9_-]{43}");
    assertThat(OneTimeTokens.wellFormed(token, OneTimeTokens.ENROLLMENT)).isTrue();
    assertThat(OneTimeTokens.wellFormed(token, OneTimeTokens.BOOTSTRAP)).isFalse();
  }

  @Test
  void tokensDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      assertThat(seen.add(OneTimeTokens.generate(OneTimeTokens.ENROLLMENT))).isTrue();
    }
  }

  @Test
  void malformedTokensAreRecognised() {
    assertThat(OneTimeTokens.wellFormed(null, OneTimeTokens.ENROLLMENT)).isFalse();
    assertThat(OneTimeTokens.wellFormed("bfe_short", OneTimeTokens.ENROLLMENT)).isFalse();
    assertThat(OneTimeTokens.wellFormed("bfe_" + "a".repeat(42) + "=", OneTimeTokens.ENROLLMENT))
        .isFalse();
    assertThat(OneTimeTokens.wellFormed("xyz_" + "a".repeat(43), OneTimeTokens.ENROLLMENT))
        .isFalse();
  }

  @Test
  void theStoredHashIsTheHexSha256OfTheToken() {
    // printf 'bfe_abc' | sha256sum
    assertThat(OneTimeTokens.hashHex("bfe_abc"))
        .isEqualTo("6ea17b9769e195edec275d894c851bdaa72234b3a92ae8f58ce799e2f46e1e04");
  }
}
