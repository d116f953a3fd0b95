package dev.oauthlet.admin;

import dev.oauthlet.client.ClientKeys;
import dev.oauthlet.client.DpopMode;
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
 * @param audience       the {@code aud} of its tokens, or {@code null} for the configuration's only audience (or the
 *                       first of {@code audiences})
 * @param scopes         the scopes it may request, in the order responses list them
 * @param redirectUris   redirect URIs for the authorization code flow
 * @param rotation       refresh-token rotation, or {@code null} to inherit {@code tokens:}
 * @param accessTokenTtl access-token lifetime, or {@code null} to inherit {@code tokens:}
 * @param audiences      the further audiences it may select with an RFC 8707 {@code resource}
 * @param keys           its authentication method and public keys; {@link ClientKeys#DEFAULT} for a secret in Basic or
 *                       the body. A {@code private_key_jwt} client gets no secret
 * @param dpop           whether its tokens are bound to a DPoP key
 */
public record NewClient(String id, String name, boolean publicClient, Set<String> grants, String audience, List<String> scopes,
                        List<String> redirectUris, RefreshRotation rotation, Duration accessTokenTtl, List<String> audiences,
                        ClientKeys keys, DpopMode dpop) {

    public NewClient {
        Objects.requireNonNull(id, "id");
        grants = Set.copyOf(grants);
        scopes = List.copyOf(scopes);
        redirectUris = List.copyOf(redirectUris);
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        keys = keys == null ? ClientKeys.DEFAULT : keys;
        dpop = dpop == null ? DpopMode.OFF : dpop;
    }

    /** A client with one audience, authenticating with a secret (or none, when public), without DPoP. */
    public NewClient(String id, String name, boolean publicClient, Set<String> grants, String audience, List<String> scopes,
                     List<String> redirectUris, RefreshRotation rotation, Duration accessTokenTtl) {
        this(id, name, publicClient, grants, audience, scopes, redirectUris, rotation, accessTokenTtl, List.of(), ClientKeys.DEFAULT,
                DpopMode.OFF);
    }

    /** A confidential client for {@code grants}, with nothing else set. */
    public static NewClient confidential(String id, Set<String> grants) {
        return new NewClient(id, null, false, grants, null, List.of(), List.of(), null, null);
    }

    /** {@code true} when the server generates a secret for this client: it is confidential and signs no assertions. */
    public boolean getsSecret() {
        return !publicClient && (keys.method() == null || !keys.method().assertion());
    }
}
