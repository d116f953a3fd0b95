package dev.oauthlet.grant;

import dev.oauthlet.protocol.IntrospectionResponse;
import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.TestServers;
import dev.oauthlet.protocol.TokenManagementRequest;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.authorize.AuthorizationException;
import dev.oauthlet.authorize.AuthorizationRequest;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.user.AuthenticatedUser;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.oauthlet.TestServers.assertRefused;
import static dev.oauthlet.TestServers.basic;
import static dev.oauthlet.TestServers.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 8707 resource indicators at every grant, on a real H2 file store: {@code resource} selects
 * the token's {@code aud} among the client's {@code audiences}; codes and refresh tokens keep what
 * was granted, and later requests narrow it but never widen it.
 */
class ResourceIndicatorTest {

    static final String ORDERS = "https://api.example.com/orders";
    static final String BILLING = "https://api.example.com/billing";
    static final String STOCK = "https://api.example.com/stock";
    static final String CALLBACK = "https://partner.example.com/cb";

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock();
    private Oauthlet server;
    private final AuthenticatedUser alice = new AuthenticatedUser("alice", Map.of());

    @BeforeEach
    void start() {
        server = TestServers.server("""
                storage:
                  url: jdbc:h2:file:%s/oauthlet
                audiences: [back-office, storefront, %s, %s, %s]
                clients:
                  - id: partner
                    secret: partner-secret
                    grants: [client_credentials, password, authorization_code, refresh_token]
                    audience: back-office
                    audiences: [%s, %s, %s]
                    scopes: [orders:read]
                    redirect-uris: [%s]
                  - id: shop
                    secret: shop-secret
                    grants: [client_credentials]
                    audience: storefront
                users:
                  - username: alice
                    password: alice-password
                authorization:
                  pkce-required: false
                """.formatted(dir.toString().replace('\\', '/'), ORDERS, BILLING, STOCK, ORDERS, BILLING, STOCK, CALLBACK), clock);
    }

    @AfterEach
    void close() {
        server.close();
    }

    private TokenResponse token(String client, String... nameValues) {
        return TestServers.tokenWith(server, basic(client, client + "-secret"), nameValues);
    }

    private TokenResponse clientCredentials(String client, String... resources) {
        return token(client, with(new String[] {"grant_type", "client_credentials"}, resources));
    }

    private static String[] with(String[] base, String... resources) {
        List<String> all = new ArrayList<>(Arrays.asList(base));
        for (String r : resources) {
            all.add("resource");
            all.add(r);
        }
        return all.toArray(String[]::new);
    }

    private List<String> aud(TokenResponse r) {
        return server.verifier().verify(r.accessToken()).audiences();
    }

    /** The JWT's payload as sent, to see whether aud is a string or an array. */
    private static String payload(TokenResponse r) {
        return new String(Base64.getUrlDecoder().decode(r.accessToken().split("\\.")[1]), StandardCharsets.UTF_8);
    }

    private Map<String, List<String>> authorizationRequest(String... resources) {
        Map<String, List<String>> m = new HashMap<>();
        m.put("client_id", List.of("partner"));
        m.put("response_type", List.of("code"));
        m.put("redirect_uri", List.of(CALLBACK));
        m.put("state", List.of("s1"));
        if (resources.length > 0) {
            m.put("resource", List.of(resources));
        }
        return m;
    }

    private String code(String... resources) {
        AuthorizationRequest request = server.authorizer().parse(authorizationRequest(resources));
        String location = server.authorizer().approve(alice, request, true);
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            if (pair.startsWith("code=")) {
                return URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no code in " + location);
    }

    private TokenResponse exchange(String code, String... resources) {
        return token("partner", with(new String[] {"grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK},
                resources));
    }

    private TokenResponse refresh(String refreshToken, String... resources) {
        return token("partner", with(new String[] {"grant_type", "refresh_token", "refresh_token", refreshToken}, resources));
    }

    @Test
    void tokenWhenNoResourceThenTheClientsDefaultAudienceAsAString() {
        TokenResponse r = clientCredentials("partner");
        assertEquals(List.of("back-office"), aud(r));
        assertTrue(payload(r).contains("\"aud\":\"back-office\""), payload(r));
    }

    @Test
    void tokenWhenOneResourceThenThatAudienceAlone() {
        TokenResponse r = clientCredentials("partner", ORDERS);
        assertEquals(List.of(ORDERS), aud(r));
        assertTrue(payload(r).contains("\"aud\":\"" + ORDERS + "\""), payload(r));
    }

    @Test
    void tokenWhenSeveralResourcesThenAnAudArrayInTheOrderAsked() {
        TokenResponse r = clientCredentials("partner", BILLING, ORDERS, BILLING);
        assertEquals(List.of(BILLING, ORDERS), aud(r));
        assertTrue(payload(r).contains("\"aud\":[\"" + BILLING + "\",\"" + ORDERS + "\"]"), payload(r));
    }

    @Test
    void tokenWhenResourceNotAmongTheClientsAudiencesThenInvalidTarget() {
        OAuthException e = assertRefused(ErrorCode.INVALID_TARGET, () -> clientCredentials("shop", ORDERS));
        assertEquals(400, e.error().status());
        assertTrue(e.description().contains("not available to this client"), e.description());
    }

    @Test
    void tokenWhenResourceUnknownToTheServerThenInvalidTarget() {
        assertRefused(ErrorCode.INVALID_TARGET, () -> clientCredentials("partner", "https://api.example.com/elsewhere"));
    }

    @Test
    void tokenWhenResourceIsAPlainAudienceNameThenInvalidTarget() {
        OAuthException e = assertRefused(ErrorCode.INVALID_TARGET, () -> clientCredentials("partner", "back-office"));
        assertTrue(e.description().contains("absolute URI"), e.description());
    }

    @Test
    void tokenWhenResourceHasAFragmentThenInvalidTarget() {
        assertRefused(ErrorCode.INVALID_TARGET, () -> clientCredentials("partner", ORDERS + "#x"));
    }

    @Test
    void tokenWhenOneOfSeveralResourcesNotAllowedThenInvalidTargetAndNoToken() {
        assertRefused(ErrorCode.INVALID_TARGET, () -> clientCredentials("partner", ORDERS, "https://other.example.com/"));
    }

    @Test
    void passwordWhenResourcesThenTokenForThemAndRefreshKeepsThem() {
        TokenResponse login = token("partner", with(new String[] {"grant_type", "password", "username", "alice", "password",
                "alice-password"}, ORDERS, BILLING));
        assertEquals(List.of(ORDERS, BILLING), aud(login));
        TokenResponse refreshed = refresh(login.refreshToken());
        assertEquals(List.of(ORDERS, BILLING), aud(refreshed));
    }

    @Test
    void refreshWhenNarrowedThenOnlyThatResourceAndTheNextRefreshMayStillNameTheOther() {
        TokenResponse login = token("partner", with(new String[] {"grant_type", "password", "username", "alice", "password",
                "alice-password"}, ORDERS, BILLING));
        TokenResponse narrow = refresh(login.refreshToken(), BILLING);
        assertEquals(List.of(BILLING), aud(narrow));
        // The successor keeps the whole grant (RFC 8707 §2.2): narrowing one access token does not shrink it.
        assertEquals(List.of(ORDERS), aud(refresh(narrow.refreshToken(), ORDERS)));
    }

    @Test
    void refreshWhenResourceOutsideTheGrantThenInvalidTargetThoughTheClientMayHaveIt() {
        TokenResponse login = token("partner", with(new String[] {"grant_type", "password", "username", "alice", "password",
                "alice-password"}, ORDERS));
        OAuthException e = assertRefused(ErrorCode.INVALID_TARGET, () -> refresh(login.refreshToken(), STOCK));
        assertTrue(e.description().contains("not available"), e.description());
    }

    @Test
    void refreshWhenGrantHadNoResourceThenDefaultAndAResourceIsRefused() {
        TokenResponse login = token("partner", "grant_type", "password", "username", "alice", "password", "alice-password");
        assertEquals(List.of("back-office"), aud(refresh(login.refreshToken())));
        TokenResponse again = token("partner", "grant_type", "password", "username", "alice", "password", "alice-password");
        assertRefused(ErrorCode.INVALID_TARGET, () -> refresh(again.refreshToken(), ORDERS));
    }

    @Test
    void exchangeWhenNoResourceThenEveryResourceTheUserGranted() {
        assertEquals(List.of(ORDERS, BILLING), aud(exchange(code(ORDERS, BILLING))));
    }

    @Test
    void exchangeWhenNarrowedThenOneResourceAndTheRefreshTokenKeepsTheGrant() {
        TokenResponse r = exchange(code(ORDERS, BILLING), ORDERS);
        assertEquals(List.of(ORDERS), aud(r));
        assertEquals(List.of(BILLING), aud(refresh(r.refreshToken(), BILLING)));
        assertEquals(List.of(ORDERS, BILLING), aud(refresh(r.refreshToken())));
    }

    @Test
    void exchangeWhenWidenedBeyondTheCodeThenInvalidTarget() {
        String code = code(ORDERS);
        assertRefused(ErrorCode.INVALID_TARGET, () -> exchange(code, ORDERS, BILLING));
    }

    @Test
    void exchangeWhenCodeHadNoResourceThenDefaultAudience() {
        assertEquals(List.of("back-office"), aud(exchange(code())));
    }

    @Test
    void authorizeWhenResourceNotAllowedThenInvalidTargetRedirectedWithState() {
        AuthorizationException e = org.junit.jupiter.api.Assertions.assertThrows(AuthorizationException.class,
                () -> server.authorizer().parse(authorizationRequest(ORDERS, "https://evil.example.com/")));
        assertTrue(e.redirectable());
        assertEquals(ErrorCode.INVALID_TARGET, e.error());
        String location = server.authorizer().errorLocation(e);
        assertTrue(location.startsWith(CALLBACK + "?error=invalid_target&"), location);
        assertTrue(location.contains("&state=s1"), location);
    }

    @Test
    void needsConsentWhenConsentedForOneApiThenAskedAgainForAnother() {
        AuthorizationRequest orders = server.authorizer().parse(authorizationRequest(ORDERS));
        server.authorizer().approve(alice, orders, true);
        // Same scopes (the client's defaults), but another API: the user has not allowed that one.
        Map<String, List<String>> raw = authorizationRequest(BILLING);
        raw.put("scope", List.of("orders:read"));
        Map<String, List<String>> ordersAgain = authorizationRequest(ORDERS);
        ordersAgain.put("scope", List.of("orders:read"));
        assertFalse(server.authorizer().needsConsent(alice, server.authorizer().parse(ordersAgain)));
        assertTrue(server.authorizer().needsConsent(alice, server.authorizer().parse(raw)));
    }

    @Test
    void introspectWhenSeveralAudiencesThenAudIsTheArrayAsIssued() {
        IntrospectionResponse several = server.introspect(TokenManagementRequest.parse(
                params("token", clientCredentials("partner", ORDERS, BILLING).accessToken()), basic("partner", "partner-secret")));
        assertEquals(List.of(ORDERS, BILLING), several.members().get("aud"));
        IntrospectionResponse one = server.introspect(TokenManagementRequest.parse(
                params("token", clientCredentials("partner", ORDERS).accessToken()), basic("partner", "partner-secret")));
        assertEquals(ORDERS, one.members().get("aud"));
    }
}
