package io.botfleet.fleetctl.command;

import com.google.protobuf.ByteString;
import io.botfleet.fleet.v1.RotateBotKeyRequest;
import io.botfleet.fleetctl.CliException;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.grpc.BotRefs;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.fleetctl.output.Values;
import io.botfleet.identity.v1.BeginKeyRotationRequest;
import io.botfleet.identity.v1.CompleteKeyRotationRequest;
import io.botfleet.identity.v1.GetIdentityRequest;
import io.botfleet.identity.v1.PublicKey;
import io.botfleet.identity.v1.RegistryMatch;
import io.botfleet.identity.v1.RevokeIdentityRequest;
import io.botfleet.identity.v1.VerifyIdentityRequest;
import io.botfleet.identity.v1.VerifySignatureRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Keys of identities: rotation, verification against the registry, history, revocation. */
@Command(
    name = "keys",
    header = "Rotate, verify, list and revoke identities' keys.",
    subcommands = {
      KeysCommand.Rotate.class,
      KeysCommand.Complete.class,
      KeysCommand.Verify.class,
      KeysCommand.VerifySignature.class,
      KeysCommand.ListKeys.class,
      KeysCommand.Revoke.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl keys rotate spot-arb-01 --reason suspected_compromise",
      "  fleetctl keys verify spot-arb-01"
    })
public final class KeysCommand extends GroupCommand {

  @Command(
      name = "rotate",
      header = "Rotate a key now: a bot is told to make and register a new key.",
      description = {
        "For a bot (name or id) fleet-service's RotateBotKey begins the rotation and sends the bot"
            + " rotate_key; any other agent id goes to identity-service's BeginKeyRotation as it"
            + " is (identity-service rotates only bots: an operator enrolls a new identity).",
        "Reasons: scheduled, suspected_compromise, personnel_change, or free text."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  fleetctl keys rotate spot-arb-01 --reason personnel_change --grace-period 1h",
        "  fleetctl command status 6f1c2a3e-…   # the command_id printed: did the bot get it?"
      })
  static final class Rotate extends BaseCommand {
    @Parameters(paramLabel = "AGENT", description = "A bot (name or id), or an agent id.")
    String agent;

    @Option(names = "--reason", required = true, description = "Why.")
    String reason;

    @Option(
        names = "--grace-period",
        paramLabel = "DURATION",
        description =
            "The bot has this long to register its new key; both keys verify this long at most"
                + " (1m to 7d, default 24h).")
    String gracePeriod;

    @Mixin RequestIdOption requestId;

    @Override
    protected int run(Session session) {
      String botId = fleetBot(session);
      if (botId != null) {
        RotateBotKeyRequest.Builder request =
            RotateBotKeyRequest.newBuilder()
                .setBotId(botId)
                .setReason(reason)
                .setRequestId(requestId(session, requestId));
        if (gracePeriod != null) {
          request.setGracePeriod(Args.duration(gracePeriod, "--grace-period"));
        }
        session.out().describe(session.clients().fleet().rotateBotKey(request.build()));
        return ExitCodes.OK;
      }
      BeginKeyRotationRequest.Builder request =
          BeginKeyRotationRequest.newBuilder().setAgentId(agent).setReason(reason);
      if (gracePeriod != null) request.setGracePeriod(Args.duration(gracePeriod, "--grace-period"));
      var answer = session.clients().identity().beginKeyRotation(request.build());
      session.out().describe(answer);
      return ExitCodes.OK;
    }

    /**
     * The id of the fleet's bot {@code agent} names, or null for another agent: an operator's or a
     * service's id, or an agent id fleet-service does not know. An unknown name is not found.
     */
    private String fleetBot(Session session) {
      if (BotRefs.isId(agent) && !agent.startsWith("bot-")) {
        return null;
      }
      try {
        return session.bots().get(agent).getId();
      } catch (CliException e) {
        if (BotRefs.isId(agent) && e.exitCode() == ExitCodes.NOT_FOUND) {
          return null;
        }
        throw e;
      }
    }
  }

  @Command(
      name = "complete",
      header = "Complete a rotation whose new key is registered (retires the old key).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl keys complete spot-arb-01 --rotation 6f1c2a3e-…")
  static final class Complete extends BaseCommand {
    @Parameters(paramLabel = "AGENT", description = "A bot (name or id), or an agent id.")
    String agent;

    @Option(names = "--rotation", required = true, description = "The rotation id.")
    String rotation;

    @Override
    protected int run(Session session) {
      var answer =
          session
              .clients()
              .identity()
              .completeKeyRotation(
                  CompleteKeyRotationRequest.newBuilder()
                      .setAgentId(session.bots().id(agent))
                      .setRotationId(rotation)
                      .build());
      session.out().describe(answer);
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "verify",
      header = "Compare an identity's public key with the GreenHelix registry (tampering check).",
      description = "Exits 0 on match (or when nothing can be compared), 6 on MISMATCH.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl keys verify spot-arb-01")
  static final class Verify extends BaseCommand {
    @Parameters(paramLabel = "AGENT", description = "A bot (name or id), or an agent id.")
    String agent;

    @Override
    protected int run(Session session) {
      var answer =
          session
              .clients()
              .identity()
              .verifyIdentity(
                  VerifyIdentityRequest.newBuilder().setAgentId(session.bots().id(agent)).build());
      session.out().describe(answer);
      if (answer.getMatch() == RegistryMatch.REGISTRY_MATCH_MISMATCH) {
        session.note(
            "fleetctl: KEY MISMATCH: possible key tampering. Consider `fleetctl bots revoke`.");
        return ExitCodes.CONFLICT;
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "verify-signature",
      header = "Check a signature with any key version an identity ever had.",
      footerHeading = "%nExample:%n",
      footer =
          "  fleetctl keys verify-signature op-0123456789abcdef --key-version 1 --message-file order.json --signature 'EXIN…'")
  static final class VerifySignature extends BaseCommand {
    @Parameters(
        paramLabel = "AGENT",
        description = "The signer, a bot (name or id) or an agent id.")
    String agent;

    @Option(names = "--key-version", required = true, description = "The key version that signed.")
    int keyVersion;

    @Option(names = "--message-file", required = true, description = "The signed bytes.")
    Path messageFile;

    @Option(names = "--signature", required = true, description = "The signature, base64.")
    String signature;

    @Override
    protected int run(Session session) throws IOException {
      byte[] sig;
      try {
        sig = Base64.getDecoder().decode(signature.trim());
      } catch (IllegalArgumentException e) {
        throw CliException.invalid("--signature: not base64");
      }
      var answer =
          session
              .clients()
              .identity()
              .verifySignature(
                  VerifySignatureRequest.newBuilder()
                      .setAgentId(session.bots().id(agent))
                      .setKeyVersion(keyVersion)
                      .setMessage(ByteString.copyFrom(Files.readAllBytes(messageFile)))
                      .setSignature(ByteString.copyFrom(sig))
                      .build());
      session.out().describe(answer);
      return answer.getValid() ? ExitCodes.OK : ExitCodes.CONFLICT;
    }
  }

  @Command(
      name = "list",
      header = "Every key version an identity had, with its status.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl keys list spot-arb-01")
  static final class ListKeys extends BaseCommand {
    @Parameters(paramLabel = "AGENT", description = "A bot (name or id), or an agent id.")
    String agent;

    @Override
    protected int run(Session session) {
      var answer =
          session
              .clients()
              .identity()
              .getIdentity(
                  GetIdentityRequest.newBuilder().setAgentId(session.bots().id(agent)).build());
      session
          .out()
          .print(
              answer,
              () -> {
                Table table = new Table("VERSION", "STATUS", "PUBLIC KEY", "CREATED", "RETIRED");
                for (PublicKey key : answer.getKeysList()) {
                  table.row(
                      key.getKeyVersion(),
                      Values.enumName(key.getStatus()),
                      key.getPublicKey(),
                      Values.time(key.getCreateTime()),
                      Values.time(key.getRetireTime()));
                }
                table.print(session.out().out());
                if (answer.getIdentity().hasRotation()) {
                  session.out().out().println();
                  session.out().out().println("rotation in progress:");
                  io.botfleet.fleetctl.output.Describe.lines(answer.getIdentity().getRotation())
                      .forEach(l -> session.out().out().println("  " + l));
                }
              });
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "revoke",
      header = "Revoke an identity: every key version stops verifying, everywhere, at once.",
      description = "For a bot prefer `fleetctl bots revoke` (it also stops the bot first).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl keys revoke op-0123456789abcdef --reason 'laptop stolen' --yes")
  static final class Revoke extends BaseCommand {
    @Parameters(paramLabel = "AGENT", description = "A bot (name or id), or an agent id.")
    String agent;

    @Option(names = "--reason", required = true, description = "Why (required).")
    String reason;

    @Mixin ConfirmOption confirm;

    @Override
    protected int run(Session session) {
      String id = session.bots().id(agent);
      confirm(session, confirm, "Revoke identity " + id + "? Irreversible");
      var answer =
          session
              .clients()
              .identity()
              .revokeIdentity(
                  RevokeIdentityRequest.newBuilder().setAgentId(id).setReason(reason).build());
      session.out().describe(answer.getIdentity());
      return ExitCodes.OK;
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
