package dev.oauthlet.spi;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.spi.RefreshTokenRecord.State;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plain records for core's own tests of purging and outages. The storage contract has its fuller
 * fixtures in the oauthlet-storage-tck module, which core's tests cannot use: that module depends
 * on core.
 */
public final class TestStoreRecords {

    public static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

    private TestStoreRecords() {
    }

    /** A client_credentials client with one secret. */
    public static ClientRegistration confidentialClient(String id) {
        return new ClientRegistration(id, null, "sha256$" + Hashes.sha256(id), false, Set.of("client_credentials"), "api://orders",
                Set.of("orders.read"), Set.of(), null, List.of(), false);
    }

    /** An active refresh token of {@code family} for alice at client {@code app}, expiring at {@code expiresAt}. */
    public static RefreshTokenRecord refreshToken(String family, Instant expiresAt) {
        return new RefreshTokenRecord(Hashes.sha256(Hashes.randomToken(32)), family, "app", "alice", Set.of("orders.read"), Map.of(),
                NOW.minusSeconds(60), expiresAt, State.ACTIVE, null, null);
    }

    public static RefreshTokenRecord refreshToken(String family) {
        return refreshToken(family, NOW.plus(Duration.ofDays(30)));
    }

    /** Stand-in for a sealed successor: the store treats it as opaque bytes. */
    public static byte[] sealed(String label) {
        return label.getBytes(StandardCharsets.UTF_8);
    }

    /** A code for alice at client {@code app}, expiring at {@code expiresAt}. */
    public static AuthorizationCodeRecord code(Instant expiresAt) {
        return new AuthorizationCodeRecord(Hashes.sha256(Hashes.randomToken(32)), "app", "alice", "https://app.example/cb",
                Set.of("orders.read"), null, null, Map.of(), expiresAt, null);
    }
}
