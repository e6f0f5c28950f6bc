package io.botfleet.bench.jmh;

import io.botfleet.common.auth.CachedKey;
import io.botfleet.common.auth.KeyCache;
import io.botfleet.common.auth.KeyState;
import io.botfleet.common.auth.Principal;
import io.botfleet.common.auth.RequestVerifier;
import io.botfleet.common.v1.OperatorRole;
import io.botfleet.common.v1.PrincipalKind;
import io.botfleet.signing.CanonicalRequest;
import io.botfleet.signing.Credentials;
import io.botfleet.signing.RequestSigner;
import io.botfleet.signing.SignatureHeaders;
import io.botfleet.signing.SigningKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signature verification per second on one thread: botfleet's whole server-side path (parse the
 * five headers, window, key cache lookup among 10,000 agents, canonical string, SHA-256 of the
 * body, Ed25519 verify, nonce check) against a raw BouncyCastle Ed25519 verify and the JDK's own
 * Ed25519 provider, in the same run. The ratio to raw BouncyCastle is our path's overhead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
public class SignatureVerificationBenchmark {

  static final String METHOD = "botfleet.permission.v1.PermissionService/CheckPermission";
  static final int AGENTS = 10_000;

  /** Requests signed in advance: more than one iteration can verify, each with its own nonce. */
  static final int REQUESTS = 60_000;

  KeyCache cache;
  RequestVerifier verifier;
  byte[] body;
  String[][] headers;
  int next;

  byte[] canonical;
  byte[] signature;
  io.botfleet.signing.VerifyingKey bcKey;
  Signature jdkVerifier;
  PublicKey jdkKey;
  byte[] jdkSignature;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    cache = new KeyCache();
    SigningKey botKey = null;
    for (int i = 0; i < AGENTS; i++) {
      SigningKey key = SigningKey.generate();
      String agent = String.format("bot-%016x", i);
      cache.upsert(
          new CachedKey(
              new Principal(
                  agent,
                  PrincipalKind.PRINCIPAL_KIND_BOT,
                  OperatorRole.OPERATOR_ROLE_UNSPECIFIED,
                  agent),
              1,
              key.publicKey(),
              KeyState.CURRENT),
          i);
      if (i == AGENTS / 2) {
        botKey = key;
      }
    }
    SigningKey signingKey = botKey;
    String agent = String.format("bot-%016x", AGENTS / 2);
    body = ("\n\u0014" + agent + "\u0012\u000bplace_order").getBytes(StandardCharsets.UTF_8);
    RequestSigner signer = new RequestSigner(() -> new Credentials(agent, 1, signingKey));
    long now = System.currentTimeMillis();
    headers = new String[REQUESTS][];
    for (int i = 0; i < REQUESTS; i++) {
      SignatureHeaders h =
          signer.sign(METHOD, CanonicalRequest.sha256Hex(body), now, RequestSigner.newNonce());
      headers[i] =
          new String[] {
            h.agentId(),
            Integer.toString(h.keyVersion()),
            Long.toString(h.timestampMillis()),
            h.nonce(),
            Base64.getEncoder().encodeToString(h.signature())
          };
    }
    SignatureHeaders sample = signer.sign(METHOD, body);
    canonical = sample.canonical(METHOD, CanonicalRequest.sha256Hex(body)).bytes();
    signature = sample.signature();
    bcKey = signingKey.publicKey();

    KeyPair jdkPair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Signature jdkSigner = Signature.getInstance("Ed25519");
    jdkSigner.initSign(jdkPair.getPrivate());
    jdkSigner.update(canonical);
    jdkSignature = jdkSigner.sign();
    jdkKey =
        KeyFactory.getInstance("Ed25519")
            .generatePublic(
                new java.security.spec.X509EncodedKeySpec(jdkPair.getPublic().getEncoded()));
    jdkVerifier = Signature.getInstance("Ed25519");
  }

  @Setup(Level.Iteration)
  public void freshNonceCache() {
    // Each iteration starts with an empty nonce cache, so the pre-signed requests are new again.
    verifier = new RequestVerifier(cache, Duration.ofDays(1));
    next = 0;
  }

  /** Our whole path for one unary request. */
  @Benchmark
  public Object botfleetPath() throws RequestVerifier.Refusal {
    String[] h = headers[next++ % REQUESTS];
    long now = Long.parseLong(h[2]);
    SignatureHeaders signed = RequestVerifier.parse(h[0], h[1], h[2], h[3], h[4]);
    CachedKey key = verifier.claimedKey(signed, now);
    verifier.verify(METHOD, key, signed, body, now);
    return key;
  }

  /** BouncyCastle's Ed25519 verify alone, over the same canonical string. */
  @Benchmark
  public boolean rawBouncyCastle() {
    return bcKey.verify(canonical, signature);
  }

  /** The JDK's own Ed25519 provider (SunEC), over the same string. */
  @Benchmark
  public boolean jdkEd25519() throws Exception {
    jdkVerifier.initVerify(jdkKey);
    jdkVerifier.update(canonical);
    return jdkVerifier.verify(jdkSignature);
  }
}
