package dev.oauthlet;

import dev.oauthlet.dpop.DpopProofVerifier;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.grant.AuthorizationCodeGrant;
import dev.oauthlet.key.SigningKeys;
import dev.oauthlet.key.VerificationKey;
import dev.oauthlet.protocol.Json;
import dev.oauthlet.protocol.Pkce;
import dev.oauthlet.token.IdTokens;
import dev.oauthlet.user.StandardClaims;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What a server publishes about itself: its JWK Set (RFC 7517) and its metadata (RFC 8414, with OpenID Connect Discovery's members). */
final class Discovery {

    private final OauthletConfig config;
    private final SigningKeys keys;
    private final SigningKeys idTokenKeys;
    private final Set<String> grantTypes;

    /** @param idTokenKeys the ID tokens' RS256 keys: {@code keys} when access tokens are RS256 too */
    Discovery(OauthletConfig config, SigningKeys keys, SigningKeys idTokenKeys, Set<String> grantTypes) {
        this.config = config;
        this.keys = keys;
        this.idTokenKeys = idTokenKeys;
        this.grantTypes = Set.copyOf(grantTypes);
    }

    /**
     * The public keys that verify this server's tokens, the ID tokens' own included; HMAC secrets
     * are never published.
     */
    String jwks() {
        List<Object> list = new ArrayList<>();
        List<VerificationKey> published = new ArrayList<>(keys.published());
        if (idTokenKeys != keys && grantTypes.contains(AuthorizationCodeGrant.TYPE)) {
            published.addAll(idTokenKeys.published());
        }
        for (VerificationKey k : published) {
            if (!(k.key() instanceof PublicKey publicKey)) {
                continue;
            }
            PublicJwk<?> jwk = Jwks.builder().key(publicKey).id(k.kid()).algorithm(k.algorithm().name()).publicKeyUse("sig").build();
            list.add(new LinkedHashMap<>(jwk));
        }
        return Json.write(Map.of("keys", list));
    }

    /**
     * Five minutes, or less: half the key overlap, and half the lead with which a new key is
     * published before it signs, when either is shorter.
     */
    Duration jwksMaxAge() {
        Duration max = Duration.ofMinutes(5);
        for (Duration bound : List.of(keys.overlap().dividedBy(2), keys.publicationLead().dividedBy(2))) {
            if (!bound.isZero() && bound.compareTo(max) < 0) {
                max = bound;
            }
        }
        return max;
    }

    /** @param endpoints extra members (endpoint URLs the servlet layer serves), added as given */
    Map<String, Object> metadata(Map<String, Object> endpoints) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", config.issuer());
        m.putAll(endpoints);
        m.put("grant_types_supported", List.copyOf(new TreeSet<>(grantTypes)));
        List<String> authMethods = List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt", "none");
        m.put("token_endpoint_auth_methods_supported", authMethods);
        m.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS256", "ES256", "EdDSA", "HS256"));
        m.put("dpop_signing_alg_values_supported", DpopProofVerifier.ALGORITHMS);
        if (grantTypes.contains(AuthorizationCodeGrant.TYPE)) {
            m.put("response_types_supported", List.of("code"));
            m.put("code_challenge_methods_supported", config.authorization().pkcePlainAllowed()
                    ? List.of(Pkce.S256, Pkce.PLAIN) : List.of(Pkce.S256));
            m.put("authorization_response_iss_parameter_supported", true);
            openIdMetadata(m);
        }
        if (endpoints.containsKey("revocation_endpoint")) {
            m.put("revocation_endpoint_auth_methods_supported", authMethods);
        }
        if (endpoints.containsKey("introspection_endpoint")) {
            m.put("introspection_endpoint_auth_methods_supported", authMethods.subList(0, 4));
        }
        Set<String> scopes = new TreeSet<>(config.scopes().keySet());
        for (ClientRegistration c : config.clients()) {
            scopes.addAll(c.scopes());
        }
        if (grantTypes.contains(AuthorizationCodeGrant.TYPE)) {
            // OpenID Connect Discovery 1.0 §3: the openid scope is always supported where ID tokens are.
            scopes.add(IdTokens.OPENID);
        }
        m.put("scopes_supported", List.copyOf(scopes));
        return m;
    }

    /**
     * The members OpenID Connect Discovery 1.0 §3 adds. They are registered OAuth metadata too
     * (RFC 8414 §7.1.2), so the RFC 8414 document and {@code /.well-known/openid-configuration}
     * are one and the same and never disagree.
     */
    private static void openIdMetadata(Map<String, Object> m) {
        m.put("response_modes_supported", List.of("query"));
        m.put("prompt_values_supported", List.of("none", "login", "consent", "select_account"));
        m.put("subject_types_supported", List.of("public"));
        m.put("id_token_signing_alg_values_supported", List.of(IdTokens.ALGORITHM.name()));
        List<String> claims = new ArrayList<>(List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "acr", "amr"));
        claims.addAll(StandardClaims.names());
        m.put("claims_supported", claims);
        // The classes Oauthlet derives from amr; a HostLogin or SecondFactor may declare classes of its own.
        m.put("acr_values_supported", List.of(dev.oauthlet.user.SignInContext.ACR_ONE_FACTOR, dev.oauthlet.user.SignInContext.ACR_MULTI_FACTOR));
        m.put("claims_parameter_supported", false);
        m.put("request_parameter_supported", false);
        // Discovery's default for this one is true: say so explicitly.
        m.put("request_uri_parameter_supported", false);
    }
}
