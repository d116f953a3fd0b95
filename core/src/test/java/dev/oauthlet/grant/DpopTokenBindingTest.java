package dev.oauthlet.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.TestConfigs;
import dev.oauthlet.dpop.DpopProofs;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.protocol.ClientAuthentication;
import dev.oauthlet.protocol.DpopHeader;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.token.AccessToken;
import java.net.URI;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 9449 §5 at the token endpoint: which tokens a proof binds, and every way a proof or a bound token is refused. */
class DpopTokenBindingTest {

    private static final String TOKEN_URL = TestConfigs.ISSUER + "/oauth/token";
    private static final String CONFIG = """
            issuer: %s
            signing: {algorithm: ES256}
            audiences: [api]
            clients:
              - id: service
                secret: service-secret
                grants: [client_credentials]
                scopes: [read]
                dpop: allowed
              - id: strict
                secret: strict-secret
                grants: [client_credentials]
                scopes: [read]
                dpop: required
              - id: legacy
                secret: legacy-secret
                grants: [client_credentials]
                scopes: [read]
              - id: mobile
                public: true
                grants: [password, refresh_token]
                scopes: [read]
                dpop: required
              - id: partner
                secret: partner-secret
                grants: [password, refresh_token]
                scopes: [read]
                dpop: allowed
            users:
              - username: alice
                password: alice-password
            """.formatted(TestConfigs.ISSUER);

    private final KeyPair key = DpopProofs.ecKey();
    private Oauthlet server = TestConfigs.server(TestConfigs.load(CONFIG));

    @AfterEach
    void close() {
        server.close();
    }

    private static DpopHeader header(String proof) {
        return new DpopHeader(proof, "POST", List.of(URI.create(TOKEN_URL)));
    }

    private TokenRequest clientCredentials(String client, String secret, String proof) {
        TokenRequest r = new TokenRequest("client_credentials", new ClientAuthentication.Basic(client, secret), Map.of());
        return proof == null ? r : r.withDpop(header(proof));
    }

    private AccessToken verify(TokenResponse r) {
        return server.verifier().verify(r.accessToken());
    }

    @Test
    void tokenWhenProofSentByDpopClientThenTokenBoundToItsKeyAndTypeDpop() {
        TokenResponse r = server.token(clientCredentials("service", "service-secret", DpopProofs.proof(key, "POST", TOKEN_URL)));

        assertEquals("DPoP", r.tokenType());
        assertEquals(DpopProofs.thumbprint(key), verify(r).dpopJkt());
    }

    @Test
    void tokenWhenNoProofFromAllowedClientThenBearer() {
        TokenResponse r = server.token(clientCredentials("service", "service-secret", null));

        assertEquals("Bearer", r.tokenType());
        assertNull(verify(r).dpopJkt());
    }

    @Test
    void tokenWhenNoProofFromRequiredClientThenInvalidDpopProof() {
        OAuthException e = assertThrows(OAuthException.class, () -> server.token(clientCredentials("strict", "strict-secret", null)));

        assertEquals(ErrorCode.INVALID_DPOP_PROOF, e.error());
        assertEquals(400, e.error().status());
    }

    /** A server without DPoP ignores the header (RFC 9449 §5); a client with dpop off is served as by one. */
    @Test
    void tokenWhenProofSentByClientWithDpopOffThenBearerAndHeaderIgnored() {
        TokenResponse r = server.token(clientCredentials("legacy", "legacy-secret", "not even a JWT"));

        assertEquals("Bearer", r.tokenType());
    }

    @Test
    void tokenWhenProofForAnotherUrlOrMethodThenInvalidDpopProof() {
        for (String proof : List.of(DpopProofs.proof(key, "POST", TestConfigs.ISSUER + "/oauth/other"),
                DpopProofs.proof(key, "GET", TOKEN_URL))) {
            OAuthException e = assertThrows(OAuthException.class, () -> server.token(clientCredentials("service", "service-secret", proof)));
            assertEquals(ErrorCode.INVALID_DPOP_PROOF, e.error());
        }
    }

    @Test
    void tokenWhenProofReplayedThenInvalidDpopProof() {
        String proof = DpopProofs.proof(key, "POST", TOKEN_URL);
        server.token(clientCredentials("service", "service-secret", proof));

        OAuthException e = assertThrows(OAuthException.class, () -> server.token(clientCredentials("service", "service-secret", proof)));
        assertEquals("the DPoP proof was used before", e.description());
    }

    @Test
    void tokenWhenPublicClientWithProofThenRefreshOnlyWithProofOfTheSameKey() {
        TokenResponse first = server.token(new TokenRequest("password", new ClientAuthentication.PublicClient("mobile"),
                Map.of("username", "alice", "password", "alice-password")).withDpop(header(DpopProofs.proof(key, "POST", TOKEN_URL))));
        assertNotNull(first.refreshToken());

        TokenRequest refresh = new TokenRequest("refresh_token", new ClientAuthentication.PublicClient("mobile"),
                Map.of("refresh_token", first.refreshToken()));
        OAuthException other = assertThrows(OAuthException.class,
                () -> server.token(refresh.withDpop(header(DpopProofs.proof(DpopProofs.ecKey(), "POST", TOKEN_URL)))));
        assertEquals(ErrorCode.INVALID_GRANT, other.error());
        assertEquals("the refresh token is bound to another DPoP key", other.description());

        TokenResponse second = server.token(refresh.withDpop(header(DpopProofs.proof(key, "POST", TOKEN_URL))));
        assertEquals(DpopProofs.thumbprint(key), verify(second).dpopJkt());

        // The successor is bound as well.
        TokenRequest next = new TokenRequest("refresh_token", new ClientAuthentication.PublicClient("mobile"),
                Map.of("refresh_token", second.refreshToken()));
        assertEquals(ErrorCode.INVALID_GRANT, assertThrows(OAuthException.class,
                () -> server.token(next.withDpop(header(DpopProofs.proof(DpopProofs.ecKey(), "POST", TOKEN_URL))))).error());
        assertEquals("DPoP", server.token(next.withDpop(header(DpopProofs.proof(key, "POST", TOKEN_URL)))).tokenType());
    }

    /** A confidential client's refresh token is bound by its authentication; each access token to the proof sent then. */
    @Test
    void tokenWhenConfidentialClientRefreshesWithNewKeyOrWithoutProofThenAccepted() {
        TokenResponse first = server.token(new TokenRequest("password", new ClientAuthentication.Basic("partner", "partner-secret"),
                Map.of("username", "alice", "password", "alice-password")).withDpop(header(DpopProofs.proof(key, "POST", TOKEN_URL))));
        KeyPair newKey = DpopProofs.ecKey();

        TokenResponse refreshed = server.token(new TokenRequest("refresh_token", new ClientAuthentication.Basic("partner", "partner-secret"),
                Map.of("refresh_token", first.refreshToken())).withDpop(header(DpopProofs.proof(newKey, "POST", TOKEN_URL))));

        assertEquals(DpopProofs.thumbprint(newKey), verify(refreshed).dpopJkt());
        TokenResponse bearer = server.token(new TokenRequest("refresh_token", new ClientAuthentication.Basic("partner", "partner-secret"),
                Map.of("refresh_token", refreshed.refreshToken())));
        assertEquals("Bearer", bearer.tokenType());
    }

    @Test
    void tokenWhenNonceRequiredThenUseDpopNonceWithNonceAndThenAccepted() {
        server.close();
        server = TestConfigs.server(TestConfigs.load(CONFIG + "tokens: {dpop-nonce: true}\n"));

        OAuthException e = assertThrows(OAuthException.class,
                () -> server.token(clientCredentials("service", "service-secret", DpopProofs.proof(key, "POST", TOKEN_URL))));
        assertEquals(ErrorCode.USE_DPOP_NONCE, e.error());
        assertNotNull(e.dpopNonce());
        assertEquals(e.dpopNonce(), server.dpopNonce());

        TokenResponse r = server.token(clientCredentials("service", "service-secret",
                DpopProofs.proof(key, "POST", TOKEN_URL, Instant.now(), null, e.dpopNonce())));
        assertEquals("DPoP", r.tokenType());
    }

    @Test
    void metadataWhenServedThenNamesDpopAlgorithmsAndJwtAuthentication() {
        Map<String, Object> m = server.metadata(Map.of());

        assertEquals(List.of("ES256", "ES384", "RS256", "PS256", "EdDSA"), m.get("dpop_signing_alg_values_supported"));
        assertEquals(List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt", "none"),
                m.get("token_endpoint_auth_methods_supported"));
        assertEquals(List.of("RS256", "ES256", "EdDSA", "HS256"), m.get("token_endpoint_auth_signing_alg_values_supported"));
    }
}
