package dev.oauthlet.storage.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.oauthlet.client.ClientRegistration.ClientTokenSettings;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.ClientSecret;
import dev.oauthlet.client.Origin;
import dev.oauthlet.client.RefreshRotation;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.spi.AuthorizationCodeRecord;
import dev.oauthlet.spi.RefreshTokenRecord.State;
import dev.oauthlet.spi.RefreshTokenRecord;
import dev.oauthlet.spi.SigningKeyRecord;
import dev.oauthlet.user.SignInContext;
import dev.oauthlet.user.Tenant;
import dev.oauthlet.user.UserAccount;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records for storage tests. Instants are whole milliseconds: the JDBC stores keep epoch millis,
 * and the contract promises no finer precision.
 */
final class StoreRecords {

    public static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

    private StoreRecords() {
    }

    /**
     * A confidential client with every optional setting filled in: two secrets, the newer without
     * expiry, the older expiring, declared in the file.
     */
    public static ClientRegistration confidentialClient(String id) {
        return new ClientRegistration(id, "Client " + id,
                List.of(ClientSecret.of("sha256$" + Hashes.sha256(id + "-new")),
                        new ClientSecret("pbkdf2-sha256$1000$c2FsdA$aGFzaA", NOW.plus(Duration.ofDays(1)))), false,
                Set.of("client_credentials", "refresh_token"), "api://orders", Set.of("orders.read", "orders.write"),
                Set.of("orders.read"), new ClientTokenSettings(Duration.ofMinutes(5), Duration.ofDays(2), RefreshRotation.KEEP,
                        true, true, true),
                List.of("https://app.example/cb", "https://app.example/cb2"), true, Origin.FILE)
                .withOpenId(new ClientRegistration.OpenIdSettings(true, List.of("https://app.example/bye", "https://app.example/bye2")));
    }

    /** A public client with every optional setting left out. */
    public static ClientRegistration publicClient(String id) {
        return new ClientRegistration(id, null, null, true, Set.of("authorization_code"), "api://orders", Set.of(),
                Set.of(), null, List.of(), false);
    }

    /** A user created through the administration API, with a subject of its own and typed OpenID Connect claims. */
    public static UserAccount user(String username, Tenant... tenants) {
        return new UserAccount(username, "pbkdf2-sha256$1000$c2FsdA$" + username, List.of(tenants),
                Map.of("email", username + "@example.com", "locale", "de-CH"), Origin.ADMIN, "sub-" + username,
                Map.of("name", "User " + username, "email_verified", true, "updated_at", 1764547200L,
                        "address", Map.of("locality", "Bern", "country", "CH")));
    }

    /** An active refresh token of {@code family} that expires at {@code expiresAt}. */
    public static RefreshTokenRecord refreshToken(String family, Instant expiresAt) {
        return refreshToken(family, "app", "alice", expiresAt);
    }

    /** An active refresh token of {@code family}, issued to {@code clientId} for {@code subject}. */
    public static RefreshTokenRecord refreshToken(String family, String clientId, String subject, Instant expiresAt) {
        return new RefreshTokenRecord(Hashes.sha256(Hashes.randomToken(32)), family, clientId, subject,
                Set.of("orders.read", "offline_access"), Map.of("tenantType", "merchant", "tenantId", "m-42"),
                NOW.minusSeconds(60), expiresAt, State.ACTIVE, null, null, List.of(), NOW.minus(Duration.ofDays(10)), null,
                NOW.minus(Duration.ofDays(10)).minusSeconds(5), new SignInContext("urn:example:acr:silver", List.of("pwd", "otp", "mfa")));
    }

    public static RefreshTokenRecord refreshToken(String family) {
        return refreshToken(family, NOW.plus(Duration.ofDays(30)));
    }

    /** Stand-in for a sealed successor: the store treats it as opaque bytes. */
    public static byte[] sealed(String label) {
        return ("sealed successor " + label).getBytes(StandardCharsets.UTF_8);
    }

    public static AuthorizationCodeRecord code(Instant expiresAt) {
        return new AuthorizationCodeRecord(Hashes.sha256(Hashes.randomToken(32)), "app", "alice", "https://app.example/cb",
                Set.of("openid", "orders.read"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256",
                Map.of("tenantType", "merchant", "tenantId", "m-42"), expiresAt, null, List.of(), null, NOW.minusSeconds(30), "n-0S6_WzA2Mj",
                new SignInContext("urn:example:acr:silver", List.of("pwd", "otp", "mfa")));
    }

    public static AuthorizationCodeRecord code() {
        return code(NOW.plusSeconds(60));
    }

    public static SigningKeyRecord signingKey(String kid, Instant createdAt) {
        return new SigningKeyRecord(kid, "RS256", ("private " + kid).getBytes(StandardCharsets.UTF_8),
                ("public " + kid).getBytes(StandardCharsets.UTF_8), createdAt, null, null);
    }

    /** A key that signs from {@code activeFrom}. */
    public static SigningKeyRecord signingKey(String kid, Instant createdAt, Instant activeFrom) {
        SigningKeyRecord k = signingKey(kid, createdAt);
        return new SigningKeyRecord(kid, k.algorithm(), k.privateKey(), k.publicKey(), createdAt, null, null, activeFrom);
    }

    /** Records hold byte arrays, so {@code equals} compares them by identity; this compares content. */
    public static void assertSameToken(RefreshTokenRecord expected, RefreshTokenRecord actual) {
        assertEquals(withoutBytes(expected), withoutBytes(actual));
        assertArrayEquals(expected.sealedSuccessor(), actual.sealedSuccessor());
    }

    public static void assertSameKey(SigningKeyRecord expected, SigningKeyRecord actual) {
        assertEquals(List.of(expected.kid(), expected.algorithm(), expected.createdAt()),
                List.of(actual.kid(), actual.algorithm(), actual.createdAt()));
        assertEquals(expected.activeUntil(), actual.activeUntil());
        assertEquals(expected.publishedUntil(), actual.publishedUntil());
        assertEquals(expected.activeFrom(), actual.activeFrom());
        assertEquals(expected.keyEncryptionKeyId(), actual.keyEncryptionKeyId());
        assertArrayEquals(expected.privateKey(), actual.privateKey());
        assertArrayEquals(expected.publicKey(), actual.publicKey());
    }

    private static RefreshTokenRecord withoutBytes(RefreshTokenRecord r) {
        return new RefreshTokenRecord(r.hash(), r.familyId(), r.clientId(), r.subject(), r.scopes(), r.claims(), r.issuedAt(),
                r.expiresAt(), r.state(), r.rotatedAt(), null, r.audiences(), r.familyStartedAt(), r.dpopJkt(), r.authTime(),
                r.signIn());
    }
}
