package dev.oauthlet.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oauthlet.token.AccessToken;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The claims map the filter hands to applications, built on first read. */
class TokenPrincipalTest {

    private static final AccessToken TOKEN = new AccessToken("https://auth.example.com", "alice", "back-office", "web",
            Set.of("orders:read"), "jti-1", Instant.ofEpochSecond(1000), Instant.ofEpochSecond(4600), Map.of("tenantId", "t-1"));

    @Test
    void claimsWhenReadThenRegisteredAndExtraClaimsAsTheTokenCarriedThem() {
        Map<String, Object> claims = new TokenPrincipal(TOKEN).claims();

        assertEquals(Map.of("iss", "https://auth.example.com", "sub", "alice", "aud", "back-office", "client_id", "web",
                "scope", "orders:read", "jti", "jti-1", "iat", 1000L, "exp", 4600L, "tenantId", "t-1"), claims);
        assertEquals("alice", claims.get("sub"));
        assertEquals(9, claims.size());
    }

    @Test
    void claimsWhenModifiedThenRefused() {
        Map<String, Object> claims = new TokenPrincipal(TOKEN).claims();

        assertThrows(UnsupportedOperationException.class, () -> claims.put("sub", "mallory"));
    }
}
