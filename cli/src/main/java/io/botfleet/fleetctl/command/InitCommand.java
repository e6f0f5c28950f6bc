package io.botfleet.fleetctl.command;

import io.botfleet.fleetctl.CliException;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.config.ClientConfig;
import io.botfleet.identity.v1.BootstrapAdminRequest;
import io.botfleet.identity.v1.EnrollBotRequest;
import io.botfleet.identity.v1.Identity;
import io.botfleet.sdk.ProofOfPossession;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.KeyFile;
import io.botfleet.signing.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Makes the operator's Ed25519 key in fleetctl's home (0600) and enrolls its public key: as the
 * first administrator with the bootstrap token, or as an operator an admin registered, with an
 * enrollment token. The private key never leaves this machine.
 */
@Command(
    name = "init",
    header = "Make your operator key (~/.botfleet, 0600) and enroll it.",
    description = {
      "With --bootstrap-token (from identity-service's bootstrap file) you become the first ADMIN"
          + " of a fresh installation. With --token (from an admin: `fleetctl operators create`)"
          + " you enroll the operator identity the admin registered for you.",
      "The key is written before the call (as operator.key.pending), so an answer lost on the way"
          + " never loses the key of an identity that was enrolled.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl init --bootstrap-token bfb_3q…  --name alice --organization acme",
      "  fleetctl init --bootstrap-token-file .fleet/bootstrap-token",
      "  fleetctl init --token bfe_9x… --name bob"
    })
public final class InitCommand extends BaseCommand {

  static final class Token {
    @Option(
        names = "--bootstrap-token",
        paramLabel = "TOKEN",
        description = "The one-time bootstrap token (bfb_…): become the first ADMIN.")
    String bootstrap;

    @Option(
        names = "--bootstrap-token-file",
        paramLabel = "FILE",
        description = "Read the bootstrap token from this file (e.g. .fleet/bootstrap-token).")
    Path bootstrapFile;

    @Option(
        names = "--token",
        paramLabel = "TOKEN",
        description = "An enrollment token (bfe_…) an admin issued for your operator identity.")
    String enrollment;
  }

  @ArgGroup(exclusive = true)
  Token token;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description =
          "Your operator name (default: your login name). With --token, the name the"
              + " admin registered.")
  String name;

  @Option(
      names = "--organization",
      paramLabel = "ORG",
      description =
          "Bootstrap only: the organization (default: the `organization` setting, else"
              + " 'default').")
  String organization;

  @Option(names = "--force", description = "Replace an existing operator key of this home.")
  boolean force;

  @Override
  protected int run(Session session) throws IOException {
    if (token == null) {
      throw usage("give --bootstrap-token, --bootstrap-token-file or --token");
    }
    session.home().create();
    Path keyFile = session.home().keyFile();
    if (Files.exists(keyFile) && !force) {
      Credentials existing = session.credentials();
      throw new CliException(
          ExitCodes.CONFLICT,
          "this home already holds the key of "
              + existing.agentId()
              + " ("
              + keyFile
              + "); use another --home, or --force to replace it");
    }
    SigningKey key = pendingKey(session);
    String publicKey = key.publicKey().base64();
    String operatorName = name != null ? name : loginName();
    Identity identity;
    if (token.enrollment == null) {
      String bootstrapToken = bootstrapToken();
      String org =
          organization != null
              ? organization
              : session.config().get(ClientConfig.ORGANIZATION) != null
                  ? session.config().get(ClientConfig.ORGANIZATION)
                  : "default";
      identity =
          session
              .publicClients()
              .identity()
              .bootstrapAdmin(
                  BootstrapAdminRequest.newBuilder()
                      .setBootstrapToken(bootstrapToken)
                      .setName(operatorName)
                      .setOrganization(org)
                      .setPublicKey(publicKey)
                      .setChallengeSignature(
                          ProofOfPossession.sign(
                              key,
                              ProofOfPossession.enrollmentChallenge(
                                  operatorName, publicKey, bootstrapToken)))
                      .build())
              .getIdentity();
    } else {
      identity =
          session
              .publicClients()
              .identity()
              .enrollBot(
                  EnrollBotRequest.newBuilder()
                      .setToken(token.enrollment.trim())
                      .setName(operatorName)
                      .setPublicKey(publicKey)
                      .setChallengeSignature(
                          ProofOfPossession.sign(
                              key,
                              ProofOfPossession.enrollmentChallenge(
                                  operatorName, publicKey, token.enrollment.trim())))
                      .build())
              .getIdentity();
    }
    KeyFile.write(
        keyFile, new Credentials(identity.getId(), Math.max(1, identity.getKeyVersion()), key));
    Files.deleteIfExists(session.home().pendingKeyFile());
    if (session.config().get(ClientConfig.ORGANIZATION) == null
        && !identity.getOrganization().isEmpty()) {
      ClientConfig.load(session.home().configFile())
          .with(ClientConfig.ORGANIZATION, identity.getOrganization())
          .save(session.home().configFile());
    }
    session
        .out()
        .print(
            identity,
            () -> {
              var out = session.out().out();
              out.printf(
                  "Enrolled %s (%s, %s, organization %s).%n",
                  identity.getId(),
                  identity.getName(),
                  io.botfleet.fleetctl.output.Values.enumName(identity.getOperatorRole()),
                  identity.getOrganization());
              out.printf("Your key: %s (mode 0600). Keep it; botfleet has no copy.%n", keyFile);
              if (token.enrollment == null) {
                out.println(
                    "Next: `fleetctl fleet init` names the fleet manager; `fleetctl operators"
                        + " create` adds operators.");
              }
            });
    return ExitCodes.OK;
  }

  private String bootstrapToken() throws IOException {
    if (token.bootstrap != null) {
      return token.bootstrap.trim();
    }
    try {
      return Files.readString(token.bootstrapFile, StandardCharsets.UTF_8).trim();
    } catch (java.nio.file.NoSuchFileException e) {
      throw CliException.notFound(
          token.bootstrapFile
              + " does not exist: identity-service writes it only while no admin exists"
              + " (docs/operations.md)");
    }
  }

  /** The key of an earlier attempt whose answer was lost, or a new one saved before the call. */
  private static SigningKey pendingKey(Session session) throws IOException {
    Path pending = session.home().pendingKeyFile();
    if (Files.exists(pending)) {
      return KeyFile.read(pending).key();
    }
    SigningKey key = SigningKey.generate();
    KeyFile.write(pending, new Credentials("pending", 1, key));
    return key;
  }

  private String loginName() {
    String login =
        System.getProperty("user.name", "operator")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9._-]", "-");
    if (!login.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw usage("cannot make an operator name of your login name: pass --name");
    }
    return login;
  }
}
