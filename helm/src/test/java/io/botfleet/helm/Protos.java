package io.botfleet.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the chart must know about the gRPC contracts, read from proto/src/main/proto: which gRPC
 * service each botfleet service serves, and which RPCs admit bots.
 */
final class Protos {

  /** One RPC: its full method name and the text of its access option. */
  record Rpc(String grpcService, String method, String access) {
    String fullName() {
      return grpcService + "/" + method;
    }
  }

  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");
  private static final Pattern SERVICE = Pattern.compile("(?m)^service\\s+(\\w+)\\s*\\{");
  private static final Pattern RPC =
      Pattern.compile("rpc\\s+(\\w+)\\s*\\([^)]*\\)\\s*returns\\s*\\([^)]*\\)\\s*(\\{|;)");

  /** The public RPC that is for the first operator, not for bots. */
  static final String BOOTSTRAP = "botfleet.identity.v1.IdentityService/BootstrapAdmin";

  private Protos() {}

  /** Every RPC of the six services' *_service.proto files. */
  static List<Rpc> rpcs() {
    Path dir = Chart.ROOT.resolve("proto/src/main/proto/botfleet");
    List<Rpc> rpcs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith("_service.proto")).toList()) {
        rpcs.addAll(parse(Files.readString(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rpcs;
  }

  static List<Rpc> parse(String proto) {
    Matcher pkg = PACKAGE.matcher(proto);
    if (!pkg.find()) {
      throw new AssertionError("proto without a package");
    }
    List<Rpc> rpcs = new ArrayList<>();
    Matcher service = SERVICE.matcher(proto);
    while (service.find()) {
      String grpcService = pkg.group(1) + "." + service.group(1);
      int end = closingBrace(proto, service.end() - 1);
      Matcher rpc = RPC.matcher(proto.substring(service.end(), end));
      while (rpc.find()) {
        String access = "";
        if (rpc.group(2).equals("{")) {
          int open = service.end() + rpc.end() - 1;
          access = proto.substring(open, closingBrace(proto, open));
        }
        rpcs.add(new Rpc(grpcService, rpc.group(1), access));
      }
    }
    return rpcs;
  }

  private static int closingBrace(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      if (text.charAt(i) == '{') {
        depth++;
      } else if (text.charAt(i) == '}' && --depth == 0) {
        return i;
      }
    }
    throw new AssertionError("unbalanced braces in a proto");
  }

  /** The gRPC services botfleet's six serve, e.g. botfleet.fleet.v1.FleetService. */
  static Set<String> grpcServices() {
    Set<String> services = new TreeSet<>();
    rpcs().forEach(r -> services.add(r.grpcService()));
    return services;
  }

  /** RPCs a bot may call: bot_self, and the public ones except the operators' bootstrap. */
  static Set<String> botMethods() {
    Set<String> methods = new TreeSet<>();
    for (Rpc rpc : rpcs()) {
      String access = rpc.access().replaceAll("\\s+", " ");
      boolean botSelf = access.contains("bot_self: true");
      boolean isPublic = access.contains("public: true");
      if (botSelf || (isPublic && !rpc.fullName().equals(BOOTSTRAP))) {
        methods.add(rpc.fullName());
      }
    }
    return methods;
  }
}
