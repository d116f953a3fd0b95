package dev.oauthlet.admin;

import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.client.RefreshRotation;
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
 * @param audience       the {@code aud} of its tokens, or {@code null} for the configuration's only audience
 * @param scopes         the scopes it may request, in the order responses list them
 * @param redirectUris   redirect URIs for the authorization code flow
 * @param rotation       refresh-token rotation, or {@code null} to inherit {@code tokens:}
 * @param accessTokenTtl access-token lifetime, or {@code null} to inherit {@code tokens:}
 * @param authMethod     {@code token-endpoint-auth-method}: {@code null} for a secret in Basic or the body;
 *                       {@link ClientAuthMethod#CLIENT_SECRET_JWT} keeps the generated secret sealed under the
 *                       key-encryption key, which must then be configured
 */
public record NewClient(String id, String name, boolean publicClient, Set<String> grants, String audience, List<String> scopes,
                        List<String> redirectUris, RefreshRotation rotation, Duration accessTokenTtl, ClientAuthMethod authMethod) {

    public NewClient {
        Objects.requireNonNull(id, "id");
        grants = Set.copyOf(grants);
        scopes = List.copyOf(scopes);
        redirectUris = List.copyOf(redirectUris);
    }

    /** A client that authenticates with a secret in Basic or the body (or, public, with none). */
    public NewClient(String id, String name, boolean publicClient, Set<String> grants, String audience, List<String> scopes,
                     List<String> redirectUris, RefreshRotation rotation, Duration accessTokenTtl) {
        this(id, name, publicClient, grants, audience, scopes, redirectUris, rotation, accessTokenTtl, null);
    }

    /** This client authenticating with {@code method}. */
    public NewClient withAuthMethod(ClientAuthMethod method) {
        return new NewClient(id, name, publicClient, grants, audience, scopes, redirectUris, rotation, accessTokenTtl, method);
    }

    /** A confidential client for {@code grants}, with nothing else set. */
    public static NewClient confidential(String id, Set<String> grants) {
        return new NewClient(id, null, false, grants, null, List.of(), List.of(), null, null);
    }
}
