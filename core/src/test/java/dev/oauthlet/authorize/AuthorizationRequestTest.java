package dev.oauthlet.authorize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.TestConfigs;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.config.AuthorizationConfig;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.internal.memory.MemoryStorage;
import dev.oauthlet.spi.ClientStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizationRequestTest {

    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    static final OauthletConfig CONFIG = TestConfigs.load(TestConfigs.AUTHORIZATION_CODE);

    private final ClientStore clients = clients();
    private final AuthorizationConfig policy = CONFIG.authorization();

    static ClientStore clients() {
        MemoryStorage storage = new MemoryStorage();
        CONFIG.clients().forEach(storage.clients()::save);
        return storage.clients();
    }

    /** A valid request of partner-app; tests change one parameter at a time. */
    static Map<String, List<String>> valid() {
        Map<String, List<String>> m = new HashMap<>();
        m.put("client_id", List.of("partner-app"));
        m.put("response_type", List.of("code"));
        m.put("redirect_uri", List.of("https://partner.example.com/callback"));
        m.put("scope", List.of("orders:read orders:write"));
        m.put("state", List.of("af0ifjsldkj"));
        m.put("code_challenge", List.of(CHALLENGE));
        m.put("code_challenge_method", List.of("S256"));
        return m;
    }

    private static Map<String, List<String>> with(String name, String... values) {
        Map<String, List<String>> m = valid();
        if (values.length == 0) {
            m.remove(name);
        } else {
            m.put(name, List.of(values));
        }
        return m;
    }

    private AuthorizationException refused(Map<String, List<String>> params) {
        return assertThrows(AuthorizationException.class, () -> AuthorizationRequest.parse(params, clients, policy));
    }

    private AuthorizationException refused(Map<String, List<String>> params, AuthorizationConfig p) {
        return assertThrows(AuthorizationException.class, () -> AuthorizationRequest.parse(params, clients, p));
    }

    private static void assertShownToUser(AuthorizationException e) {
        assertFalse(e.redirectable(), "must not be redirected: " + e.getMessage());
        assertNull(e.redirectUri());
    }

    private static void assertRedirected(AuthorizationException e, ErrorCode code) {
        assertTrue(e.redirectable(), "must be redirected: " + e.getMessage());
        assertEquals(code, e.error());
        assertEquals("https://partner.example.com/callback", e.redirectUri());
        assertEquals("af0ifjsldkj", e.state());
    }

    @Test
    void parseWhenValidThenCarriesEveryParameter() {
        AuthorizationRequest r = AuthorizationRequest.parse(valid(), clients, policy);
        assertEquals("partner-app", r.client().id());
        assertEquals("https://partner.example.com/callback", r.redirectUri());
        assertTrue(r.redirectUriGiven());
        assertEquals(Set.of("orders:read", "orders:write"), r.scopes());
        assertEquals("af0ifjsldkj", r.state());
        assertEquals(CHALLENGE, r.codeChallenge());
        assertEquals("S256", r.codeChallengeMethod());
        assertEquals("orders:read orders:write", r.parameters().get("scope"));
    }

    @Test
    void parseWhenUnknownParametersThenIgnoresThemAndDoesNotCarryThem() {
        Map<String, List<String>> m = valid();
        m.put("ui_locales", List.of("de", "twice"));
        m.put("username", List.of("mallory"));
        AuthorizationRequest r = AuthorizationRequest.parse(m, clients, policy);
        assertFalse(r.parameters().containsKey("username"));
        assertFalse(r.parameters().containsKey("ui_locales"));
    }

    @Test
    void parseWhenOpenIdParametersGivenThenCarriedAndRead() {
        Map<String, List<String>> m = valid();
        m.put("nonce", List.of("n-0S6"));
        m.put("prompt", List.of("login consent"));
        m.put("max_age", List.of("300"));
        m.put("login_hint", List.of("alice"));
        AuthorizationRequest r = AuthorizationRequest.parse(m, clients, policy);
        assertEquals("n-0S6", r.nonce());
        assertEquals(java.util.Set.of("login", "consent"), r.prompts());
        assertEquals(300L, r.maxAge());
        assertEquals("alice", r.loginHint());
        AuthorizationRequest after = r.signedIn();
        assertEquals(java.util.Set.of("consent"), after.prompts(), "a sign-in satisfies prompt=login, not consent");
        assertEquals(null, after.maxAge());
    }

    @Test
    void parseWhenPromptNoneWithAnotherValueOrUnknownOrMaxAgeMalformedThenRedirectedInvalidRequest() {
        for (Map.Entry<String, String> bad : Map.of("prompt", "none login", "max_age", "-5").entrySet()) {
            Map<String, List<String>> m = valid();
            m.put(bad.getKey(), List.of(bad.getValue()));
            AuthorizationException e = assertThrows(AuthorizationException.class, () -> AuthorizationRequest.parse(m, clients, policy));
            assertEquals(ErrorCode.INVALID_REQUEST, e.error(), bad.toString());
            assertTrue(e.redirectable(), bad.toString());
        }
        Map<String, List<String>> m = valid();
        m.put("prompt", List.of("login login"));
        assertEquals(java.util.Set.of("login"), AuthorizationRequest.parse(m, clients, policy).prompts(), "a repeated value is one");
    }

    @Test
    void parseWhenClientIdMissingThenShownToUser() {
        AuthorizationException e = refused(with("client_id"));
        assertShownToUser(e);
        assertEquals(ErrorCode.INVALID_REQUEST, e.error());
    }

    @Test
    void parseWhenClientUnknownThenShownToUser() {
        assertShownToUser(refused(with("client_id", "nobody")));
    }

    @Test
    void parseWhenClientIdSentTwiceThenShownToUser() {
        assertShownToUser(refused(with("client_id", "partner-app", "partner-app")));
    }

    @Test
    void parseWhenRedirectUriNotRegisteredThenShownToUser() {
        assertShownToUser(refused(with("redirect_uri", "https://evil.example.com/callback")));
    }

    @Test
    void parseWhenRedirectUriDiffersOnlyByTrailingSlashThenShownToUser() {
        assertShownToUser(refused(with("redirect_uri", "https://partner.example.com/callback/")));
    }

    @Test
    void parseWhenRedirectUriSentTwiceThenShownToUser() {
        assertShownToUser(refused(with("redirect_uri", "https://partner.example.com/callback", "https://partner.example.com/callback")));
    }

    @Test
    void parseWhenRedirectUriOmittedAndClientHasSeveralThenShownToUser() {
        assertShownToUser(refused(with("redirect_uri")));
    }

    @Test
    void parseWhenRedirectUriOmittedAndClientHasOneThenUsesIt() {
        Map<String, List<String>> m = with("client_id", "mobile-app");
        m.remove("redirect_uri");
        m.put("scope", List.of("orders:read"));
        AuthorizationRequest r = AuthorizationRequest.parse(m, clients, policy);
        assertEquals("http://127.0.0.1:7777/cb", r.redirectUri());
        assertFalse(r.redirectUriGiven());
    }

    @Test
    void parseWhenPublicClientUsesItsLoopbackRedirectOnAnotherPortThenAcceptedAndAnsweredThere() {
        Map<String, List<String>> m = with("client_id", "mobile-app");
        m.put("redirect_uri", List.of("http://127.0.0.1:51004/cb"));
        m.put("scope", List.of("orders:read"));
        AuthorizationRequest r = AuthorizationRequest.parse(m, clients, policy);
        assertEquals("http://127.0.0.1:51004/cb", r.redirectUri());
        assertTrue(r.redirectUriGiven(), "the token request must repeat this very URI");
        m.put("redirect_uri", List.of("http://127.0.0.1:51004/cb/other"));
        assertShownToUser(refused(m));
    }

    @Test
    void parseWhenStoredClientHasPlainHttpRedirectThenShownToUser() {
        // Registration through the configuration refuses such URIs; a store filled by other means is checked here too.
        clients.save(new ClientRegistration("legacy", "Legacy", null, true, Set.of("authorization_code"), "back-office", Set.of(),
                Set.of(), null, List.of("http://legacy.example.com/cb"), false));
        Map<String, List<String>> m = with("client_id", "legacy");
        m.put("redirect_uri", List.of("http://legacy.example.com/cb"));
        assertShownToUser(refused(m));
        m.remove("redirect_uri");
        assertShownToUser(refused(m));
    }

    @Test
    void parseWhenResponseTypeMissingThenRedirectsInvalidRequest() {
        assertRedirected(refused(with("response_type")), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void parseWhenResponseTypeTokenThenRedirectsUnsupportedResponseType() {
        assertRedirected(refused(with("response_type", "token")), ErrorCode.UNSUPPORTED_RESPONSE_TYPE);
    }

    @Test
    void parseWhenScopeSentTwiceThenRedirectsInvalidRequest() {
        assertRedirected(refused(with("scope", "orders:read", "orders:write")), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void parseWhenStateSentTwiceThenRedirectsWithoutState() {
        AuthorizationException e = refused(with("state", "a", "b"));
        assertTrue(e.redirectable());
        assertEquals(ErrorCode.INVALID_REQUEST, e.error());
        assertNull(e.state());
    }

    @Test
    void parseWhenClientLacksGrantThenRedirectsUnauthorizedClient() {
        Map<String, List<String>> m = with("client_id", "machine");
        m.put("redirect_uri", List.of("https://machine.example.com/cb"));
        AuthorizationException e = refused(m);
        assertTrue(e.redirectable());
        assertEquals(ErrorCode.UNAUTHORIZED_CLIENT, e.error());
    }

    @Test
    void parseWhenScopeNotAllowedThenRedirectsInvalidScope() {
        assertRedirected(refused(with("scope", "orders:read admin")), ErrorCode.INVALID_SCOPE);
    }

    @Test
    void parseWhenScopeOmittedThenDefaultScopes() {
        assertEquals(Set.of("orders:read"), AuthorizationRequest.parse(with("scope"), clients, policy).scopes());
    }

    @Test
    void parseWhenStateHasSpecialCharactersThenKeepsItUnchanged() {
        String state = "a b&c=d/é?%20";
        assertEquals(state, AuthorizationRequest.parse(with("state", state), clients, policy).state());
    }

    @Test
    void parseWhenCodeChallengeMissingForConfidentialClientThenRedirectsInvalidRequestByDefault() {
        Map<String, List<String>> m = with("code_challenge");
        m.remove("code_challenge_method");
        assertRedirected(refused(m), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void parseWhenCodeChallengeMissingAndPkceNotRequiredThenConfidentialClientPasses() {
        Map<String, List<String>> m = with("code_challenge");
        m.remove("code_challenge_method");
        AuthorizationRequest r = AuthorizationRequest.parse(m, clients, policy(false, false));
        assertNull(r.codeChallenge());
        assertNull(r.codeChallengeMethod());
    }

    @Test
    void parseWhenCodeChallengeMissingForPublicClientThenRedirectsEvenWhenPkceNotRequired() {
        Map<String, List<String>> m = with("client_id", "mobile-app");
        m.remove("redirect_uri");
        m.put("scope", List.of("orders:read"));
        m.remove("code_challenge");
        m.remove("code_challenge_method");
        AuthorizationException e = refused(m, policy(false, false));
        assertTrue(e.redirectable());
        assertEquals(ErrorCode.INVALID_REQUEST, e.error());
        assertEquals("http://127.0.0.1:7777/cb", e.redirectUri());
    }

    @Test
    void parseWhenMethodWithoutChallengeThenRedirectsInvalidRequest() {
        assertRedirected(refused(with("code_challenge")), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void parseWhenMethodPlainThenRedirectsInvalidRequestUnlessEnabled() {
        String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        Map<String, List<String>> m = with("code_challenge_method", "plain");
        m.put("code_challenge", List.of(verifier));
        assertRedirected(refused(m), ErrorCode.INVALID_REQUEST);
        AuthorizationRequest r = AuthorizationRequest.parse(m, clients, policy(true, true));
        assertEquals("plain", r.codeChallengeMethod());
    }

    @Test
    void parseWhenChallengeWithoutMethodThenTreatedAsPlainAndRefused() {
        assertRedirected(refused(with("code_challenge_method")), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void parseWhenUnknownMethodThenRedirectsInvalidRequest() {
        assertRedirected(refused(with("code_challenge_method", "S512")), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void parseWhenS256ChallengeMalformedThenRedirectsInvalidRequest() {
        assertRedirected(refused(with("code_challenge", "too-short")), ErrorCode.INVALID_REQUEST);
        assertRedirected(refused(with("code_challenge", CHALLENGE.substring(1) + "=")), ErrorCode.INVALID_REQUEST);
    }

    static AuthorizationConfig policy(boolean pkceRequired, boolean plain) {
        return new AuthorizationConfig(pkceRequired, plain, Duration.ofHours(1), 5, 20, Duration.ofMinutes(15), Duration.ZERO, 2);
    }
}
