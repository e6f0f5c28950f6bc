package io.botfleet.sim;

import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.BotStatus;
import io.botfleet.fleet.v1.FleetServiceGrpc;
import io.botfleet.fleet.v1.GetBotRequest;
import io.botfleet.fleet.v1.InitFleetRequest;
import io.botfleet.fleet.v1.RegisterBotRequest;
import io.botfleet.identity.v1.CreateEnrollmentTokenRequest;
import io.botfleet.identity.v1.IdentityServiceGrpc;
import io.botfleet.permission.v1.Restrictions;
import io.botfleet.permission.v1.Tier;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Registers the guide's fleet (SEED-SPEC.md) through fleet-service's RegisterBot, as an
 * administrator would: the 12 bots with the TRADE tier and the guide's restrictions per group, plus
 * one dormant standby for spot-arb so that a failover can be seen. Repeatable: bots registered on
 * an earlier run are left alone, a bot still waiting to enroll gets a fresh token.
 */
public final class GuideFleet {

  /** The spot-arb standby that takes over a dead spot-arb bot. */
  public static final String STANDBY = "spot-arb-standby-01";

  private static final String[] OPTIONS_INSTRUMENTS = {"BTC-*-C", "BTC-*-P", "ETH-*-C", "ETH-*-P"};

  /** One bot of the fleet after registration. */
  public record Registered(String name, String agentId, String group, String token, String note) {}

  private final FleetServiceGrpc.FleetServiceBlockingStub fleet;
  private final IdentityServiceGrpc.IdentityServiceBlockingStub identity;

  /**
   * @param fleet fleet-service, signed as an administrator
   * @param identity identity-service, signed as an administrator
   */
  public GuideFleet(Channel fleet, Channel identity) {
    this.fleet = FleetServiceGrpc.newBlockingStub(fleet);
    this.identity = IdentityServiceGrpc.newBlockingStub(identity);
  }

  /** The guide's 12 bots and the spot-arb standby. */
  public static List<BotProfile> profiles() {
    List<BotProfile> bots = new ArrayList<>(Fleets.guideFleet());
    BotProfile arb = bots.get(0);
    bots.add(
        new BotProfile(
            STANDBY,
            arb.group(),
            arb.exchange(),
            arb.strategy(),
            arb.version(),
            arb.maxPositionUsd(),
            true));
    return bots;
  }

  /** The guide's restrictions of a group (SEED-SPEC.md, chapter 4); none for the others. */
  public static Restrictions restrictions(String group) {
    return switch (group) {
      case "spot-arb" ->
          Restrictions.newBuilder()
              .setMaxOrderSizeUsd("5000")
              .addAllowedPairs("BTC/USDT")
              .addAllowedPairs("ETH/USDT")
              .addAllowedPairs("SOL/USDT")
              .build();
      case "options-mm" ->
          Restrictions.newBuilder()
              .setMaxOrderSizeUsd("25000")
              .addAllAllowedInstruments(List.of(OPTIONS_INSTRUMENTS))
              .setMaxDeltaExposure("0.5")
              .build();
      default -> Restrictions.getDefaultInstance();
    };
  }

  /** InitFleet for {@code organization}; a second call with the same one changes nothing. */
  public void init(String organization) {
    fleet
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .initFleet(InitFleetRequest.newBuilder().setOrganization(organization).build());
  }

  /** RegisterBot of one profile, TRADE tier with its group's restrictions. */
  public Registered register(BotProfile bot) {
    RegisterBotRequest.Builder request =
        RegisterBotRequest.newBuilder()
            .setName(bot.name())
            .setGroup(bot.group())
            .setExchange(bot.exchange())
            .setStrategy(bot.strategy())
            .setVersion(bot.version())
            .setMaxPositionUsd(bot.maxPositionUsd().toPlainString())
            .setTier(Tier.TIER_TRADE)
            .setRestrictions(restrictions(bot.group()))
            .setStandby(bot.standby())
            .setRequestId(UUID.randomUUID().toString());
    if (bot.group().equals("options-mm")) {
      request.addCapabilities("trading").addCapabilities("metrics_reporting");
      request.addCapabilities("options_greeks");
    }
    var answer = fleet.withDeadlineAfter(30, TimeUnit.SECONDS).registerBot(request.build());
    return new Registered(
        bot.name(),
        answer.getBot().getId(),
        bot.group(),
        answer.getEnrollmentToken(),
        "registered");
  }

  /**
   * Registers what is missing of {@code bots} and writes the tokens file fleet-sim reads ({@code
   * --tokens}, 0600: the tokens are credentials until used). A bot with a key file in {@code
   * keysDir} gets {@code -} (it reuses its key); a bot registered but never enrolled gets a new
   * token; a bot revoked or deregistered is registered anew (its stale key file removed).
   *
   * @return what happened to each bot, in order
   */
  public List<Registered> ensure(List<BotProfile> bots, Path keysDir, Path tokensFile)
      throws IOException {
    List<Registered> result = new ArrayList<>();
    for (BotProfile bot : bots) {
      Path keyFile = keysDir.resolve(bot.name() + ".key");
      Bot existing = find(bot.name());
      if (existing == null
          || existing.getStatus() == BotStatus.BOT_STATUS_REVOKED
          || existing.getStatus() == BotStatus.BOT_STATUS_DEREGISTERED) {
        Files.deleteIfExists(keyFile);
        Files.deleteIfExists(keysDir.resolve(bot.name() + ".key.journal"));
        result.add(register(bot));
      } else if (Files.exists(keyFile)) {
        result.add(
            new Registered(
                bot.name(), existing.getId(), bot.group(), Fleets.NO_TOKEN, "key file kept"));
      } else if (existing.getStatus() == BotStatus.BOT_STATUS_PENDING) {
        String token =
            identity
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .createEnrollmentToken(
                    CreateEnrollmentTokenRequest.newBuilder().setAgentId(existing.getId()).build())
                .getToken();
        result.add(new Registered(bot.name(), existing.getId(), bot.group(), token, "new token"));
      } else {
        throw new IllegalStateException(
            bot.name()
                + " is enrolled ("
                + existing.getStatus()
                + ") but its key file "
                + keyFile
                + " is gone: revoke it, or start from a fresh database"
                + " (./fleet down && rm -rf .fleet/pg .fleet/sim .fleet/demo)");
      }
    }
    writeTokens(bots, result, tokensFile);
    return result;
  }

  private Bot find(String name) {
    try {
      return fleet
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .getBot(GetBotRequest.newBuilder().setName(name).build())
          .getBot();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  private static void writeTokens(List<BotProfile> bots, List<Registered> registered, Path file)
      throws IOException {
    StringBuilder text = new StringBuilder("# NAME TOKEN [key=value ...] (fleet-sim --tokens)\n");
    for (int i = 0; i < bots.size(); i++) {
      BotProfile bot = bots.get(i);
      text.append(bot.name())
          .append(' ')
          .append(registered.get(i).token())
          .append(" group=")
          .append(bot.group())
          .append(" exchange=")
          .append(bot.exchange());
      if (bot.standby()) {
        text.append(" standby=true");
      }
      text.append('\n');
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    Files.createFile(
        temporary,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temporary, text, StandardCharsets.UTF_8);
    Files.move(
        temporary,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
