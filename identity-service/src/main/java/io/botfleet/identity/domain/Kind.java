package io.botfleet.identity.domain;

/** The kind of principal an identity is. */
public enum Kind {
  /** A trading bot or a withdrawal agent. */
  BOT("bot-"),
  /** A human operator. */
  OPERATOR("op-"),
  /** A botfleet service. */
  SERVICE("svc-");

  private final String idPrefix;

  Kind(String idPrefix) {
    this.idPrefix = idPrefix;
  }

  /** The prefix of this kind's agent ids. */
  public String idPrefix() {
    return idPrefix;
  }
}
