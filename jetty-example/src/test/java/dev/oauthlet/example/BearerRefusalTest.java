package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.oauthlet.key.SigningAlgorithm;
import dev.oauthlet.key.SigningKey;
import dev.oauthlet.token.AccessTokenIssuer;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every way a token can be wrong, presented to the example's back-office API over HTTP: each is
 * refused with 401 and the exact RFC 6750 challenge.
 */
class BearerRefusalTest {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static JettyExample.Running server;
    private static String resource;

    @BeforeAll
    static void start() throws Exception {
        server = JettyExample.createServer(ExampleFixtures.config("RS256"), 0);
        resource = server.url() + "/api/back-office/me";
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String challenge(String description) {
        return "Bearer realm=\"oauthlet\", error=\"invalid_token\", error_description=\"" + description + "\"";
    }

    private static void assertRefused(String token, String description) {
        HttpResponse<String> r = ExampleFixtures.getWithBearer(resource, token);
        assertEquals(401, r.statusCode(), r.body());
        assertEquals(challenge(description), r.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
        assertEquals("invalid_token", ExampleFixtures.json(r.body()).get("error").asText());
    }

    /** A back-office token as the server would sign it, valid now, for the builder's caller to spoil. */
    private static JwtBuilder genuine(Instant issuedAt, Duration ttl) {
        SigningKey key = server.oauthlet().keys().current();
        return Jwts.builder().header().type(AccessTokenIssuer.TYPE).keyId(key.kid()).and()
                .issuer(server.oauthlet().issuer()).subject("backoffice-app").audience().single("back-office")
                .issuedAt(Date.from(issuedAt)).notBefore(Date.from(issuedAt)).expiration(Date.from(issuedAt.plus(ttl)))
                .id("jti-" + System.nanoTime()).claim("client_id", "backoffice-app").claim("scope", "orders:read")
                .signWith(key.signingKey(), key.algorithm().jws());
    }

    private static String part(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String payloadOf(String token) {
        return token.split("\\.")[1];
    }

    @Test
    void genuineTokenWhenPresentedThen200() {
        assertEquals(200, ExampleFixtures.getWithBearer(resource, genuine(Instant.now(), Duration.ofMinutes(5)).compact()).statusCode());
    }

    @Test
    void tokenWhenForAnotherAudienceThenRefused() {
        assertRefused(ExampleFixtures.token(server, "storefront-app", "storefront-secret"), "the token is not meant for this resource");
    }

    @Test
    void tokenWhenExpiredThenRefused() {
        assertRefused(genuine(Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1)).compact(), "the token expired");
    }

    @Test
    void tokenWhenNotYetValidBeyondClockSkewThenRefused() {
        assertRefused(genuine(Instant.now().plus(Duration.ofMinutes(10)), Duration.ofHours(1)).compact(), "the token is not valid yet");
    }

    @Test
    void tokenWhenPayloadTamperedThenRefused() {
        String[] p = genuine(Instant.now(), Duration.ofMinutes(5)).compact().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(p[1]), StandardCharsets.UTF_8)
                .replace("\"orders:read\"", "\"orders:read orders:write\"");

        assertRefused(p[0] + "." + part(payload) + "." + p[2], "the token's signature is invalid");
    }

    @Test
    void tokenWhenSignatureTamperedThenRefused() {
        String[] p = genuine(Instant.now(), Duration.ofMinutes(5)).compact().split("\\.");
        char[] sig = p[2].toCharArray();
        // The middle of the signature: every bit there counts (the last character may hold padding bits).
        sig[sig.length / 2] = sig[sig.length / 2] == 'A' ? 'B' : 'A';

        assertRefused(p[0] + "." + p[1] + "." + new String(sig), "the token's signature is invalid");
    }

    @Test
    void tokenWhenAlgNoneThenRefused() {
        String kid = server.oauthlet().keys().current().kid();
        String payload = payloadOf(genuine(Instant.now(), Duration.ofMinutes(5)).compact());

        assertRefused(part("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}") + "." + payload + ".",
                "the token is not signed");
    }

    @Test
    void tokenWhenHs256SignedWithTheServersPublicKeyThenRefused() throws Exception {
        SigningKey key = server.oauthlet().keys().current();
        String signingInput = part("{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"" + key.kid() + "\"}") + "."
                + payloadOf(genuine(Instant.now(), Duration.ofMinutes(5)).compact());
        Mac mac = Mac.getInstance("HmacSHA256");
        // The classic confusion attack: the public key, which anyone can fetch, used as the HMAC secret.
        mac.init(new SecretKeySpec(key.publicKey().getEncoded(), "HmacSHA256"));
        String forged = signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));

        assertRefused(forged, "the token's signing algorithm is not accepted");
    }

    @Test
    void tokenWhenIssuedByAnotherIssuerThenRefused() {
        assertRefused(genuine(Instant.now(), Duration.ofMinutes(5)).issuer("https://evil.example").compact(),
                "the token has the wrong issuer");
    }

    @Test
    void tokenWhenSignedWithAnUnknownKeyThenRefused() {
        SigningKey stranger = SigningAlgorithm.RS256.generate("not-ours", Instant.now());
        String token = genuine(Instant.now(), Duration.ofMinutes(5)).header().keyId("not-ours").and()
                .signWith(stranger.signingKey(), stranger.algorithm().jws()).compact();

        assertRefused(token, "the token's signing key is unknown");
    }

    @Test
    void tokenWhenTypIsNotAtJwtThenRefused() {
        assertRefused(genuine(Instant.now(), Duration.ofMinutes(5)).header().type("JWT").and().compact(),
                "the token is not an access token (typ must be at+jwt)");
    }

    @Test
    void tokenWhenHeaderPointsToItsOwnKeySetThenRefused() {
        assertRefused(genuine(Instant.now(), Duration.ofMinutes(5)).header().jwkSetUrl(URI.create("https://evil.example/jwks")).and()
                .compact(), "the token names its own key (jku, x5u, x5c or jwk header)");
    }

    @Test
    void tokenWhenMalformedThenRefused() {
        assertRefused("not-a-jwt", "the token is malformed");
        assertRefused("e30.e30.e30", "the token is malformed");
    }

    @Test
    void requestWhenNoTokenThen401WithBareChallenge() {
        HttpResponse<String> r = ExampleFixtures.send(HttpRequest.newBuilder(URI.create(resource)).GET().build());

        assertEquals(401, r.statusCode());
        assertEquals("Bearer realm=\"oauthlet\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    @Test
    void requestWhenTokenOnlyInQueryAndQueryFormDisabledThenTreatedAsNoToken() {
        String token = ExampleFixtures.token(server, "backoffice-app", "backoffice-secret");
        HttpResponse<String> r = ExampleFixtures.send(HttpRequest.newBuilder(URI.create(resource + "?access_token=" + token)).GET().build());

        assertEquals(401, r.statusCode());
        assertEquals("Bearer realm=\"oauthlet\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    @Test
    void requestWhenTwoBearerHeadersThen400InvalidRequest() {
        String token = ExampleFixtures.token(server, "backoffice-app", "backoffice-secret");
        HttpResponse<String> r = ExampleFixtures.send(HttpRequest.newBuilder(URI.create(resource))
                .header("Authorization", "Bearer " + token).header("Authorization", "Bearer " + token).GET().build());

        assertEquals(400, r.statusCode());
        assertEquals("Bearer realm=\"oauthlet\", error=\"invalid_request\", error_description=\"the request carries more than one "
                + "access token\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
    }
}
