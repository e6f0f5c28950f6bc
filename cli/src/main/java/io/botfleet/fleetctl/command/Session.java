package io.botfleet.fleetctl.command;

import io.botfleet.fleetctl.CliException;
import io.botfleet.fleetctl.ExitCodes;
import io.botfleet.fleetctl.Terminal;
import io.botfleet.fleetctl.config.ClientConfig;
import io.botfleet.fleetctl.config.Durations;
import io.botfleet.fleetctl.config.Home;
import io.botfleet.fleetctl.grpc.BotRefs;
import io.botfleet.fleetctl.grpc.Clients;
import io.botfleet.fleetctl.output.Printer;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.KeyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

/** One run of a command: the terminal, the settings, the output, and the clients once needed. */
public final class Session implements AutoCloseable {

  private final Terminal terminal;
  private final Printer printer;
  private final Home home;
  private final ClientConfig config;
  private final Duration timeout;
  private Clients clients;
  private Clients publicClients;
  private BotRefs bots;

  Session(Terminal terminal, GlobalOptions options) {
    this.terminal = terminal;
    this.printer = new Printer(terminal.out(), options.output);
    this.home = Home.resolve(options.home, terminal.env().get("BOTFLEET_HOME"));
    ClientConfig loaded;
    try {
      loaded = ClientConfig.load(home.configFile());
      if (options.endpoint != null) {
        loaded = loaded.with(ClientConfig.ENDPOINT, options.endpoint);
        for (var service : io.botfleet.fleetctl.config.Service.values()) {
          loaded = loaded.without(ClientConfig.ENDPOINT + "." + service.key());
        }
      }
      this.timeout =
          options.timeout == null
              ? loaded.timeout()
              : Durations.parse(options.timeout, "--timeout");
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot read " + home.configFile() + ": " + e);
    } catch (IllegalArgumentException e) {
      throw CliException.invalid(e.getMessage());
    }
    this.config = loaded;
  }

  /** The terminal. */
  public Terminal terminal() {
    return terminal;
  }

  /** Results go here. */
  public Printer out() {
    return printer;
  }

  /** fleetctl's directory. */
  public Home home() {
    return home;
  }

  /** The settings (with --endpoint applied). */
  public ClientConfig config() {
    return config;
  }

  /** Clients signing as the operator; fails with exit 4 if there is no enrolled key. */
  public Clients clients() {
    if (clients == null) {
      clients = new Clients(config, credentials(), timeout);
    }
    return clients;
  }

  /** Unsigned clients, for the public RPCs of {@code init}. */
  public Clients publicClients() {
    if (publicClients == null) {
      publicClients = new Clients(config, null, timeout);
    }
    return publicClients;
  }

  /** Bot names to ids, through fleet-service. */
  public BotRefs bots() {
    if (bots == null) {
      bots = new BotRefs(clients());
    }
    return bots;
  }

  /** The operator's credentials from the key file. */
  public Credentials credentials() {
    if (!Files.exists(home.keyFile())) {
      throw new CliException(
          ExitCodes.DENIED,
          "no operator key in "
              + home.keyFile()
              + ": run `fleetctl init --bootstrap-token …` (first admin) or `fleetctl init --token"
              + " …` (a token from an admin) first");
    }
    try {
      return KeyFile.read(home.keyFile());
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.ERROR,
          "cannot read the operator key " + home.keyFile() + ": " + e.getMessage());
    }
  }

  /** A message for the operator on stderr (never mixed into results). */
  public void note(String text) {
    terminal.err().println(text);
    terminal.err().flush();
  }

  @Override
  public void close() {
    if (clients != null) {
      clients.close();
    }
    if (publicClients != null) {
      publicClients.close();
    }
  }
}
