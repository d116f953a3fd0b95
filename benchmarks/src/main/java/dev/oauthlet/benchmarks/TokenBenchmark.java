package dev.oauthlet.benchmarks;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.key.SigningKey;
import dev.oauthlet.token.AccessToken;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU per issued and per verified token, against the bare RS256 operation it cannot avoid.
 * Single-threaded average time, so the ratio reads directly as "cost over the signature".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenBenchmark {

    private Oauthlet server;
    private PrivateKey privateKey;
    private PublicKey publicKey;
    private byte[] signingInput;
    private byte[] signature;
    private String token;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = Fixtures.server("memory");
        SigningKey key = server.keys().current();
        privateKey = (PrivateKey) key.signingKey();
        publicKey = key.publicKey();
        token = server.token(Fixtures.clientCredentials()).accessToken();
        // The same bytes a real token signs: its header and payload.
        signingInput = token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
        signature = Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        server.close();
    }

    /** The floor: one SHA256withRSA signature over a token's signing input. */
    @Benchmark
    public byte[] bareRs256Sign() throws Exception {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(privateKey);
        s.update(signingInput);
        return s.sign();
    }

    /** A whole client_credentials token request: client authentication, scopes, claims, signing. */
    @Benchmark
    public String issueClientCredentialsToken() {
        return server.token(Fixtures.clientCredentials()).accessToken();
    }

    /** The floor of verification: one SHA256withRSA verify. */
    @Benchmark
    public boolean bareRs256Verify() throws Exception {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(publicKey);
        s.update(signingInput);
        return s.verify(signature);
    }

    /** Full verification of an access token: parse, key lookup, signature, claims. */
    @Benchmark
    public AccessToken verifyAccessToken() {
        return server.verifier().verify(token);
    }
}
