package dev.oauthlet.benchmarks;

import dev.oauthlet.dpop.DpopProofVerifier;
import dev.oauthlet.dpop.MemoryReplayGuard;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a DPoP proof costs a resource server on every request (the verified-token cache does not
 * spare it: each request brings a new proof), against the bare ES256 verification it cannot avoid.
 * Single-threaded average time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DpopBenchmark {

    private static final URI URL = URI.create("https://api.example.com/orders");
    private static final String ACCESS_TOKEN = "eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJSUzI1NiJ9.e30.signature-of-a-typical-access-token";

    private KeyPair key;
    private String proof;
    private byte[] signingInput;
    private byte[] signature;
    private DpopProofVerifier verifier;
    private MemoryReplayGuard guard;
    private final AtomicLong jti = new AtomicLong();

    @Setup(Level.Iteration)
    public void setUp() throws Exception {
        key = Jwts.SIG.ES256.keyPair().build();
        // Made again each iteration, so its iat stays within the proof's minute.
        String ath = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(ACCESS_TOKEN.getBytes(StandardCharsets.US_ASCII)));
        proof = Jwts.builder().header().type("dpop+jwt").add("jwk", Jwks.builder().key(key.getPublic()).build()).and()
                .id("jti-1").claim("htm", "GET").claim("htu", URL.toString()).claim("ath", ath).issuedAt(Date.from(Instant.now()))
                .signWith(key.getPrivate()).compact();
        signingInput = proof.substring(0, proof.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
        signature = Base64.getUrlDecoder().decode(proof.substring(proof.lastIndexOf('.') + 1));
        // Replay is measured on its own below; here every use counts as the first.
        verifier = new DpopProofVerifier(Duration.ofSeconds(60), Duration.ofSeconds(30), (k, until) -> true, null, Clock.systemUTC());
        guard = new MemoryReplayGuard(1_000_000, Clock.systemUTC());
    }

    /** The floor: one ES256 verification of the proof's signing input. */
    @Benchmark
    public boolean bareEs256Verify() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initVerify(key.getPublic());
        s.update(signingInput);
        return s.verify(signature);
    }

    /** Everything the filter checks of a proof: parse, header, jwk, signature, htm, htu, iat, ath, thumbprint. */
    @Benchmark
    public String verifyProof() {
        return verifier.verify(proof, "GET", List.of(URL), ACCESS_TOKEN).jkt();
    }

    /** Recording one jti in the filter's in-memory replay guard. */
    @Benchmark
    public boolean replayGuardFirstUse() {
        return guard.firstUse("k" + jti.incrementAndGet(), Instant.now().plusSeconds(90));
    }
}
