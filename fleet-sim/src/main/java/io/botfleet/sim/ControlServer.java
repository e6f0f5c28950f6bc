package io.botfleet.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The control interface over HTTP on 127.0.0.1, for scripts and tests in other processes:
 *
 * <pre>
 * POST /control   body: one command line (see {@link FaultControl}); 200 with the answer, 400 if wrong
 * GET  /status    the fleet table
 * GET  /bots      counts per state as JSON, e.g. {"active":11,"killed":1}
 * </pre>
 *
 * For example: {@code curl -d 'kill spot-arb-01' http://127.0.0.1:9470/control}.
 */
final class ControlServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ControlServer.class.getName());

  private final HttpServer server;

  ControlServer(int port, FaultControl control) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    server.setExecutor(Executors.newSingleThreadExecutor(task -> daemon(task)));
    server.createContext(
        "/control",
        exchange -> {
          if (!exchange.getRequestMethod().equals("POST")) {
            reply(exchange, 405, "POST a command line, e.g. kill spot-arb-01\n");
            return;
          }
          String line =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          try {
            String answer = control.apply(line);
            LOG.log(System.Logger.Level.INFO, "control: {0} -> {1}", line.strip(), answer.strip());
            reply(exchange, 200, answer.endsWith("\n") ? answer : answer + "\n");
          } catch (IllegalArgumentException e) {
            reply(exchange, 400, e.getMessage() + "\n");
          } catch (Exception e) {
            reply(exchange, 500, e + "\n");
          }
        });
    server.createContext(
        "/status",
        exchange -> {
          try {
            reply(exchange, 200, control.apply("status"));
          } catch (Exception e) {
            reply(exchange, 500, e + "\n");
          }
        });
    server.createContext(
        "/bots",
        exchange ->
            reply(
                exchange,
                200,
                control.counts().entrySet().stream()
                        .map(entry -> "\"" + entry.getKey() + "\":" + entry.getValue())
                        .collect(Collectors.joining(",", "{", "}"))
                    + "\n"));
    server.start();
  }

  /** The port it listens on (useful with port 0). */
  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "sim-control");
    thread.setDaemon(true);
    return thread;
  }
}
