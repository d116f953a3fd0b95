package dev.oauthlet.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.config.ConfigException;
import dev.oauthlet.token.AccessToken;
import dev.oauthlet.token.AccessTokenIssuer;
import dev.oauthlet.token.AccessTokenVerifier;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code signing.key-file}: the test keys in src/test/resources/keys (see the README there). */
class KeyFileKeysTest {

    private static final Path DIR = Path.of("src/test/resources/keys");
    private final MutableClock clock = MutableClock.startingNow();

    private KeyFileKeys load(String file, String password, SigningAlgorithm alg) {
        return KeyFileKeys.load(DIR.resolve(file), password, alg, Duration.ofHours(1), clock);
    }

    /** Signs with the file's key and verifies with the same key set, as the server would. */
    private void assertSignsAndVerifies(KeyFileKeys keys, SigningAlgorithm alg) {
        Instant now = clock.instant();
        String token = new AccessTokenIssuer(keys).sign(new AccessToken("https://as.example", "alice", "back-office", "app",
                Set.of("orders:read"), "jti-1", now, now.plusSeconds(60), Map.of()));
        AccessToken t = new AccessTokenVerifier(keys, Set.of(alg), "https://as.example", Duration.ZERO, clock).verify(token);
        assertEquals("alice", t.subject());
    }

    @ParameterizedTest
    @CsvSource({"rsa-pkcs8.pem, RS256", "rsa-pkcs1.pem, RS256", "ec-with-public.pem, ES256", "ed25519.pem, EdDSA"})
    void loadWhenPemFileThenItsKeySignsAndVerifies(String file, SigningAlgorithm alg) {
        KeyFileKeys keys = load(file, null, alg);

        assertSignsAndVerifies(keys, alg);
        assertEquals(1, keys.published().size());
    }

    @Test
    void loadWhenSameFileTwiceThenSameKidBecauseItIsTheKeysThumbprint() {
        assertEquals(load("rsa-pkcs8.pem", null, SigningAlgorithm.RS256).current().kid(),
                load("rsa-pkcs8.pem", null, SigningAlgorithm.RS256).current().kid());
        assertEquals(43, load("rsa-pkcs8.pem", null, SigningAlgorithm.RS256).current().kid().length(), "base64url SHA-256");
    }

    @Test
    void loadWhenPemHoldsPreviousPublicKeyThenItStaysPublishedAndVerifiesOldTokens() {
        KeyFileKeys previous = load("rsa-pkcs1.pem", null, SigningAlgorithm.RS256);
        Instant now = clock.instant();
        String oldToken = new AccessTokenIssuer(previous).sign(new AccessToken("https://as.example", "alice", "back-office", "app",
                Set.of(), "jti-old", now, now.plusSeconds(60), Map.of()));

        KeyFileKeys rotated = load("rsa-rotated.pem", null, SigningAlgorithm.RS256);

        assertEquals(load("rsa-pkcs8.pem", null, SigningAlgorithm.RS256).current().kid(), rotated.current().kid(), "the new key signs");
        assertEquals(2, rotated.published().size());
        assertEquals("alice", new AccessTokenVerifier(rotated, Set.of(SigningAlgorithm.RS256), "https://as.example", Duration.ZERO, clock)
                .verify(oldToken).subject());
    }

    @Test
    void loadWhenPkcs12WithCertificateThenItsKeySigns() {
        assertSignsAndVerifies(load("rsa.p12", "changeit", SigningAlgorithm.RS256), SigningAlgorithm.RS256);
    }

    @Test
    void loadWhenPkcs12HoldsHs256SecretThenItSignsAndNothingPublicIsPublished() {
        KeyFileKeys keys = load("hs256.p12", "changeit", SigningAlgorithm.HS256);

        assertSignsAndVerifies(keys, SigningAlgorithm.HS256);
        assertTrue(keys.published().stream().noneMatch(k -> k.key() instanceof java.security.PublicKey));
    }

    @Test
    void loadWhenPkcs12PasswordWrongThenConfigExceptionSaysSo() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("rsa.p12", "wrong", SigningAlgorithm.RS256));

        assertTrue(e.getMessage().startsWith("signing.key-file: "), e.getMessage());
        assertTrue(e.getMessage().contains("key-password"), e.getMessage());
    }

    @Test
    void loadWhenRsaKeyHas1024BitsThenRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("rsa-1024.pem", null, SigningAlgorithm.RS256));

        assertTrue(e.getMessage().contains("at least 2048 bits"), e.getMessage());
    }

    @Test
    void loadWhenEcPemLacksPublicKeyThenRefusedWithTheCommandThatAddsIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("ec-no-public.pem", null, SigningAlgorithm.ES256));

        assertTrue(e.getMessage().contains("openssl pkey -in KEY.pem -pubout >> KEY.pem"), e.getMessage());
    }

    @Test
    void loadWhenKeyDoesNotFitTheAlgorithmThenRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("ec-with-public.pem", null, SigningAlgorithm.RS256));

        assertTrue(e.getMessage().contains("RS256"), e.getMessage());
    }

    @Test
    void rotateWhenKeysComeFromAFileThenUnsupportedWithTheManualWay() {
        KeyFileKeys keys = load("rsa-pkcs8.pem", null, SigningAlgorithm.RS256);

        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, keys::rotate);
        assertTrue(e.getMessage().contains("replacing the file"));
    }
}
