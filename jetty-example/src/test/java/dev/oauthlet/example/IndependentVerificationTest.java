package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The example's tokens checked by Nimbus JOSE+JWT against the example's JWKS: a second JOSE
 * implementation agrees on signature, header and RFC 9068 claims. (Nimbus verifies Ed25519 only
 * with Google Tink on the class path, so EdDSA is left to our own tests.)
 */
class IndependentVerificationTest {

    private static JWKSet jwks(JettyExample.Running server) throws Exception {
        HttpResponse<String> r = ExampleFixtures.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/jwks")).GET().build());
        assertEquals(200, r.statusCode());
        return JWKSet.parse(r.body());
    }

    private static DefaultJWTProcessor<SecurityContext> processor(JWKSet jwks, JWSAlgorithm alg, String issuer, String audience) {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(alg, new ImmutableJWKSet<>(jwks)));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of("sub", "exp", "iat", "nbf", "jti", "client_id", "scope")));
        return p;
    }

    @ParameterizedTest
    @CsvSource({"RS256", "ES256"})
    void tokenWhenVerifiedByNimbusAgainstTheJwksThenSignatureHeaderAndClaimsCheckOut(String algorithm) throws Exception {
        try (JettyExample.Running server = JettyExample.createServer(ExampleFixtures.config(algorithm), 0)) {
            String token = ExampleFixtures.token(server, "backoffice-app", "backoffice-secret");
            JWKSet jwks = jwks(server);

            JWTClaimsSet claims = processor(jwks, JWSAlgorithm.parse(algorithm), server.oauthlet().issuer(), "back-office")
                    .process(token, null);

            SignedJWT jwt = SignedJWT.parse(token);
            assertEquals("at+jwt", jwt.getHeader().getType().getType());
            assertEquals(server.oauthlet().keys().current().kid(), jwt.getHeader().getKeyID());
            assertEquals("backoffice-app", claims.getSubject());
            assertEquals("backoffice-app", claims.getStringClaim("client_id"));
            assertEquals("orders:read orders:write", claims.getStringClaim("scope"));
            assertEquals(claims.getIssueTime(), claims.getNotBeforeTime());
            for (JWK k : jwks.getKeys()) {
                assertFalse(k.isPrivate(), "the JWKS publishes public keys only");
                assertEquals("sig", k.getKeyUse().identifier());
            }
        }
    }

    @Test
    void storefrontTokenWhenNimbusRequiresBackOfficeAudienceThenRejected() throws Exception {
        try (JettyExample.Running server = JettyExample.createServer(ExampleFixtures.config("RS256"), 0)) {
            String storefront = ExampleFixtures.token(server, "storefront-app", "storefront-secret");
            var p = processor(jwks(server), JWSAlgorithm.RS256, server.oauthlet().issuer(), "back-office");

            BadJWTException e = assertThrows(BadJWTException.class, () -> p.process(storefront, null));
            assertTrue(e.getMessage().contains("aud"), e.getMessage());
        }
    }

    @Test
    void jwksWhenServerSignsWithHs256ThenPublishesNoSecretOnlyTheIdTokensRsaKey() throws Exception {
        try (JettyExample.Running server = JettyExample.createServer(ExampleFixtures.config("HS256"), 0)) {
            ExampleFixtures.token(server, "backoffice-app", "backoffice-secret");

            var keys = jwks(server).getKeys();
            assertTrue(keys.stream().noneMatch(k -> k.getKeyType() == com.nimbusds.jose.jwk.KeyType.OCT), "an HMAC secret must never be published");
            // OpenID Connect ID tokens are RS256 whatever signs access tokens: their key, and only it, is published.
            assertTrue(keys.stream().allMatch(k -> k.getKeyType() == com.nimbusds.jose.jwk.KeyType.RSA),
                    keys.toString());
        }
    }
}
