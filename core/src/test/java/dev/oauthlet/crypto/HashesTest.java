package dev.oauthlet.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The per-thread digest and Mac instances must give every thread the right answer, interleaved or not. */
class HashesTest {

    /** SHA-256("abc") from FIPS 180-2, base64url without padding. */
    static final String ABC = "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0";

    @Test
    void sha256WhenKnownVectorThenKnownDigest() {
        assertEquals(ABC, Hashes.sha256("abc"));
        assertEquals(ABC, Hashes.sha256("abc"), "a reused digest starts clean");
    }

    @Test
    void sha256AndVerifiedSecretsWhenManyThreadsInterleaveThenEveryAnswerIsRight() throws Exception {
        String hash = new SecretHasher(1_000).hash("s3cret");
        VerifiedSecrets secrets = new VerifiedSecrets();
        secrets.remember(hash, "s3cret");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                boolean right = i % 2 == 0;
                results.add(pool.submit(() -> ABC.equals(Hashes.sha256("abc"))
                        && secrets.known(hash, right ? "s3cret" : "wrong") == right));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
