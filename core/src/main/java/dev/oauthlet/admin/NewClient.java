package dev.oauthlet.admin;

import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.client.DpopMode;
import dev.oauthlet.client.RefreshRotation;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link Administration#addClient} needs to know of a new client; the server generates its
 * secret.
 *
 * @param id             the {@code client_id}
 * @param name           display name, or {@code null} for the id
 * @param publicClient   {@code true} for a client without a secret (PKCE then protects its codes)
 * @param grants         the grant types it may use
 * @param audience       the {@code aud} of its tokens, or {@code null} for the configuration's only audience (or the
 *                       first of {@code audiences})
 * @param scopes         the scopes it may request, in the order responses list them
 * @param redirectUris   redirect URIs for the authorization code flow
 * @param rotation       refresh-token rotation, or {@code null} to inherit {@code tokens:}
 * @param accessTokenTtl access-token lifetime, or {@code null} to inherit {@code tokens:}
 * @param authMethod     {@code token-endpoint-auth-method}: {@code null} for a secret in Basic or the body;
 *                       {@link ClientAuthMethod#CLIENT_SECRET_JWT} keeps the generated secret sealed under the
 *                       key-encryption key, which must then be configured; {@link ClientAuthMethod#PRIVATE_KEY_JWT}
 *                       gets no secret and needs {@code jwks} or {@code jwksUri}
 * @param audiences      the further audiences it may select with an RFC 8707 {@code resource}
 * @param jwks           its public keys as a JWK Set, for {@code private_key_jwt}; or {@code null}
 * @param jwksUri        where it publishes them, for {@code private_key_jwt}; or {@code null}
 * @param dpop           whether its tokens are bound to a DPoP key; {@code null} for off
 */
public record NewClient(String id, String name, boolean publicClient, Set<String> grants, String audience, List<String> scopes,
                        List<String> redirectUris, RefreshRotation rotation, Duration accessTokenTtl, ClientAuthMethod authMethod,
                        List<String> audiences, String jwks, URI jwksUri, DpopMode dpop) {

    public NewClient {
        Objects.requireNonNull(id, "id");
        grants = Set.copyOf(grants);
        scopes = List.copyOf(scopes);
        redirectUris = List.copyOf(redirectUris);
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        dpop = dpop == null ? DpopMode.OFF : dpop;
    }

    /** A client with one audience and no keys of its own, without DPoP. */
    public NewClient(String id, String name, boolean publicClient, Set<String> grants, String audience, List<String> scopes,
                     List<String> redirectUris, RefreshRotation rotation, Duration accessTokenTtl, ClientAuthMethod authMethod) {
        this(id, name, publicClient, grants, audience, scopes, redirectUris, rotation, accessTokenTtl, authMethod, List.of(), null, null,
                DpopMode.OFF);
    }

    /** A client that authenticates with a secret in Basic or the body (or, public, with none). */
    public NewClient(String id, String name, boolean publicClient, Set<String> grants, String audience, List<String> scopes,
                     List<String> redirectUris, RefreshRotation rotation, Duration accessTokenTtl) {
        this(id, name, publicClient, grants, audience, scopes, redirectUris, rotation, accessTokenTtl, null);
    }

    /** This client authenticating with {@code method}. */
    public NewClient withAuthMethod(ClientAuthMethod method) {
        return new NewClient(id, name, publicClient, grants, audience, scopes, redirectUris, rotation, accessTokenTtl, method, audiences,
                jwks, jwksUri, dpop);
    }

    /** A confidential client for {@code grants}, with nothing else set. */
    public static NewClient confidential(String id, Set<String> grants) {
        return new NewClient(id, null, false, grants, null, List.of(), List.of(), null, null);
    }

    /** {@code true} when the server generates a secret for this client: it is confidential and does not sign with its own key. */
    public boolean getsSecret() {
        return !publicClient && authMethod != ClientAuthMethod.PRIVATE_KEY_JWT;
    }
}
