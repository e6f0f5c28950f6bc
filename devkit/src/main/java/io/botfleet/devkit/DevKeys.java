package io.botfleet.devkit;

import io.botfleet.signing.Credentials;
import io.botfleet.signing.KeyFile;
import io.botfleet.signing.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The service keys of {@code ./fleet up}: makes a key file per service in a directory (once;
 * existing keys are kept) and prints the {@code name:public-key} list identity-service trusts.
 *
 * <p>Usage: {@code DevKeys <directory> <service>...}
 */
public final class DevKeys {

  private DevKeys() {}

  /** Writes missing keys, prints the comma-separated public key list. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: DevKeys <directory> <service>...");
      System.exit(2);
    }
    Path directory = Path.of(args[0]);
    Files.createDirectories(directory);
    List<String> publicKeys = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String service = args[i];
      Path file = directory.resolve(service + ".key");
      if (!Files.exists(file)) {
        KeyFile.write(file, new Credentials("svc-" + service, 1, SigningKey.generate()));
      }
      Credentials credentials = KeyFile.read(file);
      publicKeys.add(service + ":" + credentials.key().publicKey().base64());
    }
    System.out.println(String.join(",", publicKeys));
  }
}
