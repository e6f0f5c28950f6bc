package io.botfleet.fleetctl.grpc;

import io.botfleet.fleet.v1.Bot;
import io.botfleet.fleet.v1.GetBotRequest;
import io.botfleet.fleetctl.CliException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Bots by name or by id. Operators think in names ("spot-arb-01"), the APIs take ids
 * ("bot-3f9a1c2b7d4e8f01"): a reference shaped like an agent id is used as it is, anything else is
 * looked up by name with fleet-service's GetBot, once per name per run.
 */
public final class BotRefs {

  /** The shape of an agent id: a bot's, an operator's (16 hex digits) or a service's. */
  private static final Pattern AGENT_ID = Pattern.compile("(bot|op)-[0-9a-f]{16}|svc-[a-z0-9-]+");

  private final Clients clients;
  private final Map<String, String> ids = new HashMap<>();

  /** Resolves through {@code clients}' fleet-service. */
  public BotRefs(Clients clients) {
    this.clients = clients;
  }

  /** True if {@code ref} is an agent id rather than a name. */
  public static boolean isId(String ref) {
    return AGENT_ID.matcher(ref).matches();
  }

  /**
   * The id of a bot given by name or id.
   *
   * @throws CliException exit 3 if no bot has that name
   */
  public String id(String ref) {
    if (isId(ref)) {
      return ref;
    }
    String known = ids.get(ref);
    if (known != null) {
      return known;
    }
    String id = get(ref).getId();
    ids.put(ref, id);
    return id;
  }

  /** The ids of bots given by name or id, each once, in the order given. */
  public List<String> ids(List<String> refs) {
    List<String> result = new ArrayList<>();
    for (String ref : new LinkedHashSet<>(refs)) {
      String id = id(ref);
      if (!result.contains(id)) {
        result.add(id);
      }
    }
    return result;
  }

  /** The bot given by name or id. */
  public Bot get(String ref) {
    GetBotRequest.Builder request = GetBotRequest.newBuilder();
    if (isId(ref)) {
      request.setBotId(ref);
    } else {
      request.setName(ref);
    }
    try {
      Bot bot = clients.fleet().getBot(request.build()).getBot();
      ids.put(bot.getName(), bot.getId());
      return bot;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw CliException.notFound(
            (isId(ref) ? "no bot with id " : "no bot named ") + ref + " (fleet-service GetBot)");
      }
      throw e;
    }
  }
}
