package io.botfleet.common.events;

import io.botfleet.common.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque keyset page tokens: the position after which the next page starts, so pages stay stable
 * while rows are added. Clients must treat them as opaque.
 */
public final class PageTokens {

  private static final String PREFIX = "v1:";

  private PageTokens() {}

  /** The token of a position. */
  public static String encode(String position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + position).getBytes(StandardCharsets.UTF_8));
  }

  /** The position of a token; empty for the first page. INVALID_ARGUMENT if it is not ours. */
  public static String decode(String token, String field) {
    if (token == null || token.isEmpty()) {
      return "";
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (text.startsWith(PREFIX)) {
        return text.substring(PREFIX.length());
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below
    }
    throw new InvalidArgumentException(field, "is not a page token returned by this API");
  }

  /** A page size within [1, max], {@code defaultSize} when unset (0). */
  public static int pageSize(int requested, int defaultSize, int max, String field) {
    if (requested == 0) {
      return defaultSize;
    }
    if (requested < 0 || requested > max) {
      throw new InvalidArgumentException(
          field, "must be between 1 and " + max + ", got " + requested);
    }
    return requested;
  }
}
