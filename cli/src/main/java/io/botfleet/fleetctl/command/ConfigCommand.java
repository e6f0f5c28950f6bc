package io.botfleet.fleetctl.command;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.botfleet.fleetctl.CliException;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.config.ClientConfig;
import io.botfleet.fleetctl.config.Service;
import io.botfleet.fleetctl.output.Table;
import io.botfleet.signing.KeyFile;
import java.io.IOException;
import java.nio.file.Files;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Shows and changes where the services are, the deadline and the default organization. */
@Command(
    name = "config",
    header = "Show or set endpoints (one address for all services, or one per service), timeout.",
    subcommands = {ConfigCommand.Show.class, ConfigCommand.Set.class, ConfigCommand.Unset.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  fleetctl config show",
      "  fleetctl config set endpoint https://botfleet.example.com:443",
      "  fleetctl config set endpoint.deploy http://127.0.0.1:18084",
      "  fleetctl config unset endpoint"
    })
public final class ConfigCommand extends GroupCommand {

  @Command(
      name = "show",
      header = "Where each service is, the deadline, the organization, and who you are.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl config show -o json")
  static final class Show extends BaseCommand {
    @Override
    protected int run(Session session) throws IOException {
      ClientConfig config = session.config();
      String who = "none (run fleetctl init)";
      if (Files.exists(session.home().keyFile())) {
        var credentials = KeyFile.read(session.home().keyFile());
        who = credentials.agentId() + " (key version " + credentials.keyVersion() + ")";
      }
      Struct.Builder json = Struct.newBuilder();
      Struct.Builder endpoints = Struct.newBuilder();
      Table table = new Table("SERVICE", "ENDPOINT", "FROM");
      for (Service service : Service.values()) {
        table.row(service.key(), config.endpoint(service), config.endpointSource(service));
        endpoints.putFields(service.key(), string(config.endpoint(service)));
      }
      String org = config.get(ClientConfig.ORGANIZATION);
      json.putFields("endpoints", Value.newBuilder().setStructValue(endpoints).build());
      json.putFields(
          "timeout", string(io.botfleet.fleetctl.config.Durations.format(config.timeout())));
      json.putFields("organization", string(org == null ? "" : org));
      json.putFields("home", string(session.home().dir().toString()));
      json.putFields("operator", string(who));
      final String operator = who;
      session
          .out()
          .print(
              json.build(),
              () -> {
                var out = session.out().out();
                table.print(out);
                out.println();
                out.println(
                    "timeout:      "
                        + io.botfleet.fleetctl.config.Durations.format(config.timeout()));
                out.println("organization: " + (org == null ? "-" : org));
                out.println("home:         " + session.home().dir());
                out.println("operator:     " + operator);
              });
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "set",
      header = "Set a setting: endpoint, endpoint.<service>, timeout, organization.",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl config set endpoint.billing http://10.0.0.7:8085")
  static final class Set extends BaseCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The setting.")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE", description = "Its value.")
    String value;

    @Override
    protected int run(Session session) throws IOException {
      ClientConfig next;
      try {
        next = ClientConfig.load(session.home().configFile()).with(key, value);
      } catch (IllegalArgumentException e) {
        throw CliException.invalid(e.getMessage());
      }
      session.home().create();
      next.save(session.home().configFile());
      session.note(key + " = " + value);
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "unset",
      header = "Remove a setting (back to the default).",
      footerHeading = "%nExample:%n",
      footer = "  fleetctl config unset endpoint.billing")
  static final class Unset extends BaseCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The setting.")
    String key;

    @Override
    protected int run(Session session) throws IOException {
      if (!ClientConfig.knownKeys().contains(key)) {
        throw CliException.invalid(
            "unknown setting " + key + "; known: " + String.join(", ", ClientConfig.knownKeys()));
      }
      session.home().create();
      ClientConfig.load(session.home().configFile()).without(key).save(session.home().configFile());
      session.note(key + " unset");
      return ExitCodes.OK;
    }
  }

  static Value string(String text) {
    return Value.newBuilder().setStringValue(text).build();
  }
}
