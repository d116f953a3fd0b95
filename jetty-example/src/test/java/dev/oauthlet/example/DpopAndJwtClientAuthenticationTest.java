package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DPoP (RFC 9449) and private_key_jwt (RFC 7523) over real HTTP, driven by an independent client
 * library, Nimbus OAuth 2.0 SDK: no client code of ours makes the proofs or the assertions.
 */
class DpopAndJwtClientAuthenticationTest {

    private static JettyExample.Running server;
    private static ECKey clientKey;
    private static ECKey dpopKey;
    private static URI tokenEndpoint;
    private static URI api;
    private static URI nonceApi;

    @BeforeAll
    static void start() throws Exception {
        clientKey = new ECKeyGenerator(Curve.P_256).keyID("b2b-1").generate();
        dpopKey = new ECKeyGenerator(Curve.P_256).generate();
        server = JettyExample.createServer(SeedServer.yaml("""
                issuer: https://auth.example.test
                storage: {url: memory}
                signing: {algorithm: ES256}
                audiences: [orders]
                clients:
                  - id: b2b-service
                    token-endpoint-auth-method: private_key_jwt
                    jwks: {keys: [%s]}
                    grants: [client_credentials]
                    audience: orders
                    scopes: [orders:read]
                    dpop: allowed
                  - id: device
                    secret: device-secret
                    grants: [client_credentials]
                    audience: orders
                    scopes: [orders:read]
                    dpop: required
                example:
                  resources:
                    - path: /api/orders/*
                      audience: orders
                      dpop: required
                    - path: /api/nonce/*
                      audience: orders
                      filter: {dpop-nonce: "true"}
                """.formatted(clientKey.toPublicJWK().toJSONString())), "127.0.0.1", 0);
        tokenEndpoint = URI.create(server.url() + "/oauth/token");
        api = URI.create(server.url() + "/api/orders/me");
        nonceApi = URI.create(server.url() + "/api/nonce/me");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static PrivateKeyJWT assertion() throws Exception {
        // RFC 7523bis: aud is the issuer identifier, not the token endpoint Nimbus would put by default.
        JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(new ClientID("b2b-service"),
                new Audience(server.oauthlet().issuer()));
        return new PrivateKeyJWT(claims, JWSAlgorithm.ES256, clientKey.toECPrivateKey(), clientKey.getKeyID(), null);
    }

    private static HTTPResponse tokenRequest(com.nimbusds.oauth2.sdk.auth.ClientAuthentication auth, SignedJWT proof) throws Exception {
        HTTPRequest req = new TokenRequest(tokenEndpoint, auth, new ClientCredentialsGrant(), null).toHTTPRequest();
        if (proof != null) {
            req.setDPoP(proof);
        }
        return req.send();
    }

    private static HTTPResponse call(URI uri, AccessToken token, SignedJWT proof) throws Exception {
        HTTPRequest req = new HTTPRequest(HTTPRequest.Method.GET, uri);
        req.setAuthorization(token.toAuthorizationHeader());
        if (proof != null) {
            req.setDPoP(proof);
        }
        return req.send();
    }

    @Test
    void privateKeyJwtWhenSignedByRegisteredKeyThenTokenIssued() throws Exception {
        TokenResponse r = TokenResponse.parse(tokenRequest(assertion(), null));

        assertTrue(r.indicatesSuccess(), () -> r.toErrorResponse().getErrorObject().toString());
        assertInstanceOf(BearerAccessToken.class, r.toSuccessResponse().getTokens().getAccessToken());
    }

    @Test
    void privateKeyJwtWhenReplayedThenInvalidClient() throws Exception {
        PrivateKeyJWT once = assertion();
        assertTrue(TokenResponse.parse(tokenRequest(once, null)).indicatesSuccess());

        HTTPResponse again = tokenRequest(once, null);
        assertEquals(401, again.getStatusCode());
        assertEquals("invalid_client", TokenErrorResponse.parse(again).getErrorObject().getCode());
    }

    @Test
    void privateKeyJwtWhenAudienceIsTheTokenEndpointThenInvalidClient() throws Exception {
        PrivateKeyJWT legacy = new PrivateKeyJWT(new ClientID("b2b-service"), tokenEndpoint, JWSAlgorithm.ES256,
                clientKey.toECPrivateKey(), clientKey.getKeyID(), null);

        HTTPResponse r = tokenRequest(legacy, null);
        assertEquals(401, r.getStatusCode());
        assertTrue(TokenErrorResponse.parse(r).getErrorObject().getDescription().contains("aud must be the issuer identifier"));
    }

    @Test
    void dpopWhenProofSentThenDpopTokenThatOpensTheApiOnlyWithAProofOfTheSameKey() throws Exception {
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(dpopKey, JWSAlgorithm.ES256);
        HTTPResponse tokenResponse = tokenRequest(assertion(), proofs.createDPoPJWT("POST", tokenEndpoint));
        AccessTokenResponse ok = TokenResponse.parse(tokenResponse).toSuccessResponse();
        AccessToken token = ok.getTokens().getAccessToken();
        assertInstanceOf(DPoPAccessToken.class, token);

        assertEquals(200, call(api, token, proofs.createDPoPJWT("GET", api, token)).getStatusCode());

        // The same token as Bearer, without a proof, with a proof of another key, with a replayed proof: refused.
        HTTPResponse asBearer = call(api, new BearerAccessToken(token.getValue()), null);
        assertEquals(401, asBearer.getStatusCode());
        assertTrue(asBearer.getHeaderValue("WWW-Authenticate").contains("invalid_token"), asBearer.getHeaderValue("WWW-Authenticate"));
        HTTPResponse noProof = call(api, token, null);
        assertEquals(401, noProof.getStatusCode());
        assertTrue(noProof.getHeaderValue("WWW-Authenticate").startsWith("DPoP error=\"invalid_dpop_proof\""));
        DPoPProofFactory other = new DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256).generate(), JWSAlgorithm.ES256);
        HTTPResponse otherKey = call(api, token, other.createDPoPJWT("GET", api, token));
        assertEquals(401, otherKey.getStatusCode());
        assertTrue(otherKey.getHeaderValue("WWW-Authenticate").contains("signed by another key"));
        SignedJWT proof = proofs.createDPoPJWT("GET", api, token);
        assertEquals(200, call(api, token, proof).getStatusCode());
        HTTPResponse replay = call(api, token, proof);
        assertEquals(401, replay.getStatusCode());
        assertTrue(replay.getHeaderValue("WWW-Authenticate").contains("used before"));
    }

    @Test
    void dpopWhenProofLacksAthOrNamesAnotherUrlOrMethodThenInvalidDpopProof() throws Exception {
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(dpopKey, JWSAlgorithm.ES256);
        AccessToken token = TokenResponse.parse(tokenRequest(assertion(), proofs.createDPoPJWT("POST", tokenEndpoint)))
                .toSuccessResponse().getTokens().getAccessToken();

        for (SignedJWT bad : new SignedJWT[] {proofs.createDPoPJWT("GET", api),
                proofs.createDPoPJWT("GET", URI.create(server.url() + "/api/other"), token),
                proofs.createDPoPJWT("POST", api, token)}) {
            HTTPResponse r = call(api, token, bad);
            assertEquals(401, r.getStatusCode());
            assertTrue(r.getHeaderValue("WWW-Authenticate").startsWith("DPoP error=\"invalid_dpop_proof\""), r.getHeaderValue("WWW-Authenticate"));
        }
    }

    @Test
    void dpopWhenClientRequiresDpopAndSendsNoProofThenInvalidDpopProof() throws Exception {
        HTTPResponse r = tokenRequest(new com.nimbusds.oauth2.sdk.auth.ClientSecretBasic(new ClientID("device"),
                new com.nimbusds.oauth2.sdk.auth.Secret("device-secret")), null);

        assertEquals(400, r.getStatusCode());
        assertEquals("invalid_dpop_proof", TokenErrorResponse.parse(r).getErrorObject().getCode());
    }

    @Test
    void dpopWhenResourceRequiresDpopAndBearerTokenSentThenRefused() throws Exception {
        AccessToken bearer = TokenResponse.parse(tokenRequest(assertion(), null)).toSuccessResponse().getTokens().getAccessToken();

        HTTPResponse r = call(api, bearer, null);
        assertEquals(401, r.getStatusCode());
        assertTrue(r.getHeaderValue("WWW-Authenticate").startsWith("DPoP error=\"invalid_token\""));
    }

    @Test
    void dpopWhenResourceAsksForNonceThenUseDpopNonceAndTheRetryWithItSucceeds() throws Exception {
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(dpopKey, JWSAlgorithm.ES256);
        AccessToken token = TokenResponse.parse(tokenRequest(assertion(), proofs.createDPoPJWT("POST", tokenEndpoint)))
                .toSuccessResponse().getTokens().getAccessToken();

        HTTPResponse first = call(nonceApi, token, proofs.createDPoPJWT("GET", nonceApi, token));
        assertEquals(401, first.getStatusCode());
        assertTrue(first.getHeaderValue("WWW-Authenticate").startsWith("DPoP error=\"use_dpop_nonce\""));
        String nonce = first.getHeaderValue("DPoP-Nonce");
        assertNotNull(nonce);

        assertEquals(200, call(nonceApi, token, proofs.createDPoPJWT("GET", nonceApi, token, new Nonce(nonce))).getStatusCode());
    }

    /** The client code README.md shows, run as it is shown. */
    @Test
    void readmeSnippetWhenRunThenDpopBoundTokenFromPrivateKeyJwtOpensTheApi() throws Exception {
        URI tokenEndpoint = DpopAndJwtClientAuthenticationTest.tokenEndpoint;
        URI api = DpopAndJwtClientAuthenticationTest.api;
        ECKey clientKey = DpopAndJwtClientAuthenticationTest.clientKey;
        String issuer = server.oauthlet().issuer();
        // README-BEGIN dpop
        // The client's own key authenticates it (private_key_jwt): aud is the issuer identifier.
        PrivateKeyJWT auth = new PrivateKeyJWT(new JWTAuthenticationClaimsSet(new ClientID("b2b-service"), new Audience(issuer)),
                JWSAlgorithm.ES256, clientKey.toECPrivateKey(), clientKey.getKeyID(), null);
        // A second key, kept by the client, that the tokens are bound to (DPoP).
        DPoPProofFactory dpop = new DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256).generate(), JWSAlgorithm.ES256);

        HTTPRequest tokenRequest = new TokenRequest(tokenEndpoint, auth, new ClientCredentialsGrant(), null).toHTTPRequest();
        tokenRequest.setDPoP(dpop.createDPoPJWT("POST", tokenEndpoint));
        AccessToken token = TokenResponse.parse(tokenRequest.send()).toSuccessResponse().getTokens().getAccessToken();
        // token_type is DPoP: every call carries a fresh proof for its method and URL.

        HTTPRequest call = new HTTPRequest(HTTPRequest.Method.GET, api);
        call.setAuthorization(token.toAuthorizationHeader());
        call.setDPoP(dpop.createDPoPJWT("GET", api, token));
        HTTPResponse response = call.send();
        // README-END dpop

        assertInstanceOf(DPoPAccessToken.class, token);
        assertEquals(200, response.getStatusCode(), response.getBody());
        java.nio.file.Path module = java.nio.file.Path.of(System.getProperty("basedir", "."));
        String readme = java.nio.file.Files.readString(module.resolve("../README.md"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("// README-BEGIN dpop\\n(.*?)\\n\\s*// README-END dpop",
                java.util.regex.Pattern.DOTALL).matcher(java.nio.file.Files.readString(module.resolve(
                "src/test/java/dev/oauthlet/example/DpopAndJwtClientAuthenticationTest.java")));
        assertTrue(m.find());
        assertTrue(readme.contains(m.group(1).stripIndent()), "README.md must show the DPoP client code exactly as this test runs it");
    }

    @Test
    void metadataWhenFetchedThenAdvertisesDpopAndJwtClientAuthentication() throws Exception {
        String body = new HTTPRequest(HTTPRequest.Method.GET, URI.create(server.url() + "/.well-known/oauth-authorization-server"))
                .send().getBody();
        var m = ExampleFixtures.json(body);

        assertTrue(m.get("dpop_signing_alg_values_supported").toString().contains("ES256"));
        assertTrue(m.get("token_endpoint_auth_methods_supported").toString().contains("private_key_jwt"));
        assertTrue(m.get("token_endpoint_auth_signing_alg_values_supported").toString().contains("ES256"));
    }
}
