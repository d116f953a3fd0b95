package dev.oauthlet.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.TestConfigs;
import dev.oauthlet.audit.AuditTrail;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.internal.server.LoginThrottle;
import dev.oauthlet.key.KeyManager;
import dev.oauthlet.key.SigningAlgorithm;
import dev.oauthlet.protocol.ClientAuthentication;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.spi.RefreshTokenRecord;
import dev.oauthlet.spi.RefreshTokenStore;
import dev.oauthlet.token.AccessTokenIssuer;
import dev.oauthlet.token.Revocations;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.UserCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Grants built as their unit tests should build them: from their constructor, with the one store
 * they use and a {@link TokenIssuance}, no server around them.
 */
class GrantUnitTest {

    private static final OauthletConfig CONFIG = TestConfigs.parse("""
            issuer: %s
            audiences: [api]
            clients:
              - id: svc
                secret: svc-secret
                grants: [password, refresh_token]
                audience: api
                scopes: [read, write]
                refresh-without-client-authentication: true
            """.formatted(TestConfigs.ISSUER));

    private final MutableClock clock = new MutableClock();
    private final MemoryStorage data = new MemoryStorage();
    private final ClientRegistration svc = CONFIG.clients().get(0);
    private final TokenIssuance issuance = new TokenIssuance(CONFIG.issuer(), CONFIG.tokens(), data.refreshTokens(),
            new AccessTokenIssuer(new KeyManager(data.signingKeys(), SigningAlgorithm.RS256, null, Duration.ofHours(2), clock)),
            List.of(), new Revocations(data.revokedTokens(), clock), Duration.ofHours(2), clock, AuditTrail.NONE);

    @Test
    void passwordGrantWhenExtraParametersSentThenTheAuthenticatorGetsThemWithoutTheCredentialsOrScope() {
        AtomicReference<UserCredentials> seen = new AtomicReference<>();
        PasswordGrant grant = new PasswordGrant(credentials -> {
            seen.set(credentials);
            return Optional.of(new AuthenticatedUser("alice", Map.of()));
        }, new LoginThrottle(data.failureCounters(), CONFIG.authorization(), clock));

        TokenResponse response = grant.handle(issuance, svc, request("password", "username", "alice", "password", "pw",
                "scope", "read", "tenantId", "acme"));

        assertEquals(Map.of("tenantId", "acme"), seen.get().attributes());
        assertEquals("pw", seen.get().password());
        assertEquals("read", response.scope());
        assertNotNull(response.refreshToken());
    }

    @Test
    void refreshWithoutClientAuthenticationWhenTokenPresentedThenItIsReadFromTheStoreOnce() {
        CountingStore counting = new CountingStore(data.refreshTokens());
        data.clients().save(svc);
        String first = issuance.newRefreshToken(svc, "alice", java.util.Set.of("read"), List.of("api"), Map.of());
        RefreshTokenGrant grant = new RefreshTokenGrant(counting, data.clients(), credentials -> Optional.empty());
        AtomicInteger admitted = new AtomicInteger();

        Optional<TokenResponse> response = grant.handleUnauthenticated(request("refresh_token", "refresh_token", first), client -> {
            admitted.incrementAndGet();
            assertEquals("svc", client.id());
            return issuance;
        });

        assertTrue(response.isPresent());
        assertNotEquals(first, response.get().refreshToken());
        assertEquals(1, admitted.get());
        assertEquals(1, counting.reads.get(), "the token names its client and is the one refreshed: one read");
    }

    @Test
    void refreshWithoutClientAuthenticationWhenTokenUnknownThenNothingIsAnswered() {
        RefreshTokenGrant grant = new RefreshTokenGrant(data.refreshTokens(), data.clients(), credentials -> Optional.empty());

        Optional<TokenResponse> response = grant.handleUnauthenticated(request("refresh_token", "refresh_token", "unknown"), client -> {
            throw new AssertionError("no client to admit");
        });

        assertTrue(response.isEmpty(), "the server then answers invalid_client");
    }

    @Test
    void extensionParametersWhenGrantParametersAndScopeSentThenOnlyTheOthersRemain() {
        TokenRequest r = request("authorization_code", "code", "c", "code_verifier", "v", "redirect_uri", "https://x", "scope", "s",
                "audit_ref", "42");

        assertEquals(Map.of("audit_ref", "42"), AuthorizationCodeGrant.Request.of(r).extensions());
        assertEquals(Map.of("code", "c", "code_verifier", "v", "redirect_uri", "https://x", "audit_ref", "42"),
                ClientCredentialsGrant.Request.of(r).extensions());
    }

    private static TokenRequest request(String grantType, String... nameValues) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            params.put(nameValues[i], nameValues[i + 1]);
        }
        return new TokenRequest(grantType, new ClientAuthentication.None(), params);
    }

    /** The memory store, counting reads by hash. */
    private static final class CountingStore implements RefreshTokenStore {
        final AtomicInteger reads = new AtomicInteger();
        private final RefreshTokenStore delegate;

        CountingStore(RefreshTokenStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void save(RefreshTokenRecord token) {
            delegate.save(token);
        }

        @Override
        public Optional<RefreshTokenRecord> findByHash(String hash) {
            reads.incrementAndGet();
            return delegate.findByHash(hash);
        }

        @Override
        public boolean rotate(String hash, Instant at, byte[] sealedSuccessor, RefreshTokenRecord successor) {
            return delegate.rotate(hash, at, sealedSuccessor, successor);
        }

        @Override
        public int revokeFamily(String familyId) {
            return delegate.revokeFamily(familyId);
        }

        @Override
        public int revokeClient(String clientId) {
            return delegate.revokeClient(clientId);
        }

        @Override
        public int revokeSubject(String subject) {
            return delegate.revokeSubject(subject);
        }

        @Override
        public int purgeExpired(Instant now, int limit) {
            return delegate.purgeExpired(now, limit);
        }
    }
}
