package dev.oauthlet.grant;

import static dev.oauthlet.TestServers.assertRefused;
import static dev.oauthlet.TestServers.server;
import static dev.oauthlet.TestServers.tokenWith;
import static dev.oauthlet.TestServers.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.crypto.SecretHasher;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client with several secrets: each works until its expiry; generated ({@code sha256$}) and chosen ones alike. */
class ClientSecretsTest {

    static final String GENERATED = SecretHasher.generateSecret();
    static final String CONFIG = """
            audiences: [api]
            clients:
              - id: app
                grants: [client_credentials]
                secrets:
                  - secret-hash: %s
                  - secret: old-secret
                    expires: 2026-11-22T11:00:00Z
            """.formatted(SecretHasher.hashGenerated(GENERATED));

    private final MutableClock clock = new MutableClock();
    private final Oauthlet server = server(CONFIG, clock);

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void tokenWhenEitherSecretBeforeTheOldOneExpiresThenIssued() {
        assertNotNull(tokenWith(server, basic("app", GENERATED), "grant_type", "client_credentials").accessToken());
        assertNotNull(tokenWith(server, basic("app", "old-secret"), "grant_type", "client_credentials").accessToken());
    }

    @Test
    void tokenWhenOldSecretAfterItsExpiryThenInvalidClientAndTheNewOneStillWorks() {
        assertNotNull(tokenWith(server, basic("app", "old-secret"), "grant_type", "client_credentials").accessToken());
        clock.advance(Duration.ofHours(1));

        var e = assertRefused(ErrorCode.INVALID_CLIENT,
                () -> tokenWith(server, basic("app", "old-secret"), "grant_type", "client_credentials"));
        assertEquals("client authentication failed", e.description());
        assertNotNull(tokenWith(server, basic("app", GENERATED), "grant_type", "client_credentials").accessToken());
    }

    @Test
    void tokenWhenWrongSecretThenInvalidClient() {
        assertRefused(ErrorCode.INVALID_CLIENT, () -> tokenWith(server, basic("app", GENERATED + "x"), "grant_type", "client_credentials"));
    }
}
