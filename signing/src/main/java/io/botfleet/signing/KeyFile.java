package io.botfleet.signing;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;
import java.util.Set;

/**
 * A principal's credentials on disk, readable by its owner only (0600):
 *
 * <pre>
 * agent_id=bot-3f9a1c2b7d4e8f01
 * key_version=1
 * private_key=&lt;32-byte seed, base64&gt;
 * </pre>
 */
public final class KeyFile {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private KeyFile() {}

  /**
   * Reads credentials from {@code path}.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if a field is missing or malformed
   */
  public static Credentials read(Path path) throws IOException {
    Properties properties = new Properties();
    properties.load(new StringReader(Files.readString(path, StandardCharsets.UTF_8)));
    String agentId = required(properties, "agent_id", path);
    String version = required(properties, "key_version", path);
    String seed = required(properties, "private_key", path);
    int keyVersion;
    try {
      keyVersion = Integer.parseInt(version.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(path + ": key_version is not a number");
    }
    return new Credentials(agentId.trim(), keyVersion, SigningKey.fromBase64(seed));
  }

  /**
   * Writes credentials to {@code path} with owner-only permissions, atomically: the file is written
   * beside it and moved into place, so a crash never leaves half a key.
   */
  public static void write(Path path, Credentials credentials) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temporary = parent.resolve("." + path.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    String text =
        "agent_id="
            + credentials.agentId()
            + "\nkey_version="
            + credentials.keyVersion()
            + "\nprivate_key="
            + credentials.key().seedBase64()
            + "\n";
    Files.writeString(temporary, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
    try {
      Files.move(
          temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Overwrites the file with random bytes, then deletes it (a bot's destroy_local_keys). Nothing
   * happens if it does not exist.
   */
  public static void destroy(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    long size = Files.size(path);
    byte[] noise = new byte[(int) Math.max(size, 64)];
    new SecureRandom().nextBytes(noise);
    Files.write(path, noise, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    Files.delete(path);
  }

  private static String required(Properties properties, String name, Path path) {
    String value = properties.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(path + ": " + name + " is missing");
    }
    return value;
  }
}
