package io.botfleet.sdk;

import io.botfleet.signing.Credentials;
import io.botfleet.signing.KeyFile;
import io.botfleet.signing.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The bot's credentials: the key it signs with now, its key file (0600, written atomically), and
 * the files that make enrollment and rotation survive a crash: the key generated for an enrollment
 * in progress, and the new key of a rotation in progress, each written before the control plane
 * learns the public key, so a crash never leaves a registered key whose private half is lost.
 */
final class CredentialStore {

  private static final Pattern ROTATION_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  /** A key generated for a rotation, not yet the one signing. */
  record PendingRotation(String rotationId, SigningKey key) {}

  private final Path keyFile;
  private final AtomicReference<Credentials> current = new AtomicReference<>();
  private volatile int generation;
  private volatile boolean destroyed;
  private PendingRotation pendingInMemory;

  CredentialStore(Path keyFile, Credentials initial) {
    this.keyFile = keyFile;
    current.set(initial);
  }

  /** The key file, or null when the credentials live in memory only. */
  Path keyFile() {
    return keyFile;
  }

  /**
   * Reads the key file if there are no credentials yet and it exists; true if credentials are
   * known.
   */
  boolean load() throws IOException {
    if (current.get() == null && keyFile != null && Files.exists(keyFile)) {
      current.set(KeyFile.read(keyFile));
    }
    return current.get() != null;
  }

  /**
   * The credentials signing now.
   *
   * @throws IllegalStateException once the keys are destroyed
   */
  Credentials current() {
    Credentials credentials = current.get();
    if (credentials == null) {
      throw new IllegalStateException(
          destroyed ? "the local keys were destroyed" : "not enrolled yet");
    }
    return credentials;
  }

  /** Increases with every key switch; calls remember the generation they started in. */
  int generation() {
    return generation;
  }

  boolean destroyed() {
    return destroyed;
  }

  /** The key of an enrollment that did not finish (a crash, a lost answer), to retry with. */
  Optional<SigningKey> enrollingKey() throws IOException {
    Path file = enrollingFile();
    if (file == null || !Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(KeyFile.read(file).key());
  }

  /** Keeps the key of an enrollment about to be sent. */
  void saveEnrollingKey(String name, SigningKey key) throws IOException {
    Path file = enrollingFile();
    if (file != null) {
      KeyFile.write(file, new Credentials("enrolling:" + name, 1, key));
    }
  }

  /** Enrollment succeeded: writes the key file (0600, atomically) and signs with it from now. */
  void enrolled(Credentials credentials) throws IOException {
    if (keyFile != null) {
      KeyFile.write(keyFile, credentials);
      Files.deleteIfExists(enrollingFile());
    }
    current.set(credentials);
  }

  /** True if a rotation id is safe as a file name part (the contract says it is a UUID). */
  static boolean validRotationId(String rotationId) {
    return rotationId != null && ROTATION_ID.matcher(rotationId).matches();
  }

  /** The key generated for {@code rotationId} before a crash or a failed attempt, if any. */
  synchronized Optional<PendingRotation> pendingRotation(String rotationId) throws IOException {
    if (keyFile == null) {
      return Optional.ofNullable(pendingInMemory)
          .filter(pending -> pending.rotationId().equals(rotationId));
    }
    Path file = rotationFile(rotationId);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(new PendingRotation(rotationId, KeyFile.read(file).key()));
  }

  /** Keeps a rotation's new key before its public half is registered. */
  synchronized void savePendingRotation(String rotationId, SigningKey key) throws IOException {
    if (keyFile == null) {
      pendingInMemory = new PendingRotation(rotationId, key);
      return;
    }
    Credentials now = current();
    KeyFile.write(
        rotationFile(rotationId), new Credentials(now.agentId(), now.keyVersion() + 1, key));
  }

  /** Forgets a rotation's pending key that turned out not to be needed. */
  synchronized void discardPendingRotation(String rotationId) throws IOException {
    pendingInMemory = null;
    if (keyFile != null) {
      KeyFile.destroy(rotationFile(rotationId));
    }
  }

  /**
   * Signs with {@code next} from now: the key file is replaced atomically first, so a crash leaves
   * either the old or the new key on disk, both of which verify until the rotation completes.
   */
  synchronized void switchTo(Credentials next, String rotationId) throws IOException {
    if (keyFile != null) {
      KeyFile.write(keyFile, next);
      KeyFile.destroy(rotationFile(rotationId));
    }
    pendingInMemory = null;
    current.set(next);
    generation++;
  }

  /**
   * destroy_local_keys: overwrites and deletes the key file and any pending key, and forgets the
   * key in memory. Nothing can be signed afterwards.
   */
  synchronized void destroy() throws IOException {
    destroyed = true;
    current.set(null);
    pendingInMemory = null;
    if (keyFile == null) {
      return;
    }
    KeyFile.destroy(keyFile);
    KeyFile.destroy(enrollingFile());
    Path directory = keyFile.toAbsolutePath().getParent();
    String prefix = "." + keyFile.getFileName() + ".rotation-";
    try (var files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
        KeyFile.destroy(file);
      }
    }
  }

  private Path enrollingFile() {
    return keyFile == null
        ? null
        : keyFile.resolveSibling("." + keyFile.getFileName() + ".enrolling");
  }

  private Path rotationFile(String rotationId) {
    return keyFile.resolveSibling("." + keyFile.getFileName() + ".rotation-" + rotationId);
  }
}
