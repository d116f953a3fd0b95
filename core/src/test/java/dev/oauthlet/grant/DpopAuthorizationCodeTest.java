package dev.oauthlet.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.TestConfigs;
import dev.oauthlet.authorize.AuthorizationException;
import dev.oauthlet.dpop.DpopProofs;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.protocol.ClientAuthentication;
import dev.oauthlet.protocol.DpopHeader;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.user.AuthenticatedUser;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 9449 §10: {@code dpop_jkt} binds the authorization code to a key before the exchange. */
class DpopAuthorizationCodeTest {

    private static final String TOKEN_URL = "https://auth.example.com/oauth/token";
    private static final String CALLBACK = "http://127.0.0.1:7777/cb";

    private final Oauthlet server = TestConfigs.server(TestConfigs.load("""
            issuer: https://auth.example.com
            signing: {algorithm: ES256}
            audiences: [api]
            clients:
              - id: spa
                public: true
                grants: [authorization_code, refresh_token]
                scopes: [read]
                redirect-uris: [%s]
                dpop: allowed
            users:
              - username: alice
                password: alice-password
            """.formatted(CALLBACK)));
    private final KeyPair key = DpopProofs.ecKey();

    @AfterEach
    void close() {
        server.close();
    }

    private Map<String, List<String>> authorizationRequest(String dpopJkt) {
        Map<String, List<String>> m = new HashMap<>();
        m.put("client_id", List.of("spa"));
        m.put("response_type", List.of("code"));
        m.put("redirect_uri", List.of(CALLBACK));
        m.put("code_challenge", List.of(AuthorizationCodeGrantTest.CHALLENGE));
        m.put("code_challenge_method", List.of("S256"));
        if (dpopJkt != null) {
            m.put("dpop_jkt", List.of(dpopJkt));
        }
        return m;
    }

    private String code(String dpopJkt) {
        String location = server.authorizer().approve(new AuthenticatedUser("alice", Map.of()),
                server.authorizer().parse(authorizationRequest(dpopJkt)), true);
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            if (pair.startsWith("code=")) {
                return URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no code in " + location);
    }

    private TokenResponse exchange(String code, KeyPair proofKey) {
        TokenRequest r = new TokenRequest("authorization_code", new ClientAuthentication.PublicClient("spa"),
                Map.of("code", code, "redirect_uri", CALLBACK, "code_verifier", AuthorizationCodeGrantTest.VERIFIER));
        return server.token(proofKey == null ? r
                : r.withDpop(new DpopHeader(DpopProofs.proof(proofKey, "POST", TOKEN_URL), "POST", List.of(URI.create(TOKEN_URL)))));
    }

    @Test
    void exchangeWhenCodeBoundAndProofOfThatKeyThenDpopToken() {
        TokenResponse r = exchange(code(DpopProofs.thumbprint(key)), key);

        assertEquals("DPoP", r.tokenType());
        assertEquals(DpopProofs.thumbprint(key), server.verifier().verify(r.accessToken()).dpopJkt());
    }

    @Test
    void exchangeWhenCodeBoundAndProofOfAnotherKeyOrNoneThenInvalidGrant() {
        OAuthException other = assertThrows(OAuthException.class, () -> exchange(code(DpopProofs.thumbprint(key)), DpopProofs.ecKey()));
        assertEquals(ErrorCode.INVALID_GRANT, other.error());
        assertEquals("the authorization code is bound to another DPoP key", other.description());

        OAuthException none = assertThrows(OAuthException.class, () -> exchange(code(DpopProofs.thumbprint(key)), null));
        assertEquals("the authorization code is DPoP-bound; send a DPoP proof of its key", none.description());
    }

    @Test
    void exchangeWhenCodeUnboundThenProofOptional() {
        assertEquals("Bearer", exchange(code(null), null).tokenType());
        assertEquals("DPoP", exchange(code(null), key).tokenType());
    }

    @Test
    void parseWhenDpopJktMalformedThenRedirectedInvalidRequest() {
        AuthorizationException e = assertThrows(AuthorizationException.class,
                () -> server.authorizer().parse(authorizationRequest("not-a-thumbprint")));
        assertEquals(ErrorCode.INVALID_REQUEST, e.error());
        assertEquals(true, e.redirectable());
    }
}
