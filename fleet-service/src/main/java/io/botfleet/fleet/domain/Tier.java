package io.botfleet.fleet.domain;

/** The guide's permission tiers (permission-service owns what they grant). */
public enum Tier {
  /** Reads, reports, receives commands. */
  READ_ONLY,
  /** Plus orders. */
  TRADE,
  /** Plus withdrawals; never assigned at registration. */
  WITHDRAW,
  /** Plus account administration; never assigned at registration. */
  ADMIN;

  /** The guide's name, e.g. "read_only". */
  public String guideName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The tier of a guide name. */
  public static Tier ofGuideName(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }
}
