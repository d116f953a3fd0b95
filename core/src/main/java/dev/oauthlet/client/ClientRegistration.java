package dev.oauthlet.client;

import dev.oauthlet.protocol.Scopes;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A registered client, as the configuration or a {@link dev.oauthlet.spi.ClientStore} holds it.
 *
 * @param id               the {@code client_id}
 * @param name             a display name for consent pages; defaults to the id
 * @param secrets          the client's secrets, newest first; empty for public clients. A confidential client
 *                         authenticates with any of them that has not expired
 * @param publicClient     {@code true} for clients that cannot keep a secret
 * @param grants           the grant types this client may use
 * @param audience         the {@code aud} of the access tokens it receives when it names no {@code resource}
 * @param audiences        every audience it may receive: the default first, then those it may select with an RFC 8707
 *                         {@code resource} (only absolute URIs are selectable; plain names stay defaults)
 * @param scopes           the scopes it may request, in the order responses print them
 * @param defaultScopes    the scopes it receives when it requests none
 * @param tokens           per-client token settings, each {@code null} field inheriting {@code tokens:}
 * @param redirectUris     the redirect URIs, matched exactly
 * @param firstParty       {@code true} skips the consent page
 * @param origin           where the record came from; {@link Origin#FILE} records are the configuration's to change
 * @param keys             its authentication method and keys ({@code token-endpoint-auth-method}, {@code jwks}, {@code jwks-uri})
 * @param dpop             whether its tokens are bound to a DPoP key (RFC 9449)
 * @param openId           its OpenID Connect settings: {@code require-nonce}, {@code post-logout-redirect-uris}
 */
public record ClientRegistration(
        String id,
        String name,
        List<ClientSecret> secrets,
        boolean publicClient,
        Set<String> grants,
        String audience,
        Set<String> audiences,
        Set<String> scopes,
        Set<String> defaultScopes,
        ClientTokenSettings tokens,
        List<String> redirectUris,
        boolean firstParty,
        Origin origin,
        ClientKeys keys,
        DpopMode dpop,
        OpenIdSettings openId) {

    public ClientRegistration {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("client id is blank");
        }
        name = name == null || name.isBlank() ? id : name;
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        keys = keys == null ? ClientKeys.DEFAULT : keys;
        dpop = dpop == null ? DpopMode.OFF : dpop;
        openId = openId == null ? OpenIdSettings.NONE : openId;
        if (publicClient ? keys.method() != null && keys.method() != ClientAuthMethod.NONE : keys.method() == ClientAuthMethod.NONE) {
            throw new IllegalArgumentException("client '" + id + "': token-endpoint-auth-method none is exactly for public clients");
        }
        if (keys.method() != null && keys.method().assertion() && !secrets.isEmpty()) {
            throw new IllegalArgumentException("client '" + id + "' authenticates with " + keys.method().wireName()
                    + " and so has no secret hash");
        }
        if (!publicClient && secrets.isEmpty() && (keys.method() == null || !keys.method().assertion())) {
            throw new IllegalArgumentException("confidential client '" + id + "' has no secret");
        }
        if (publicClient && !secrets.isEmpty()) {
            throw new IllegalArgumentException("public client '" + id + "' has a secret");
        }
        Objects.requireNonNull(origin, "origin");
        grants = Set.copyOf(grants);
        Objects.requireNonNull(audience, "audience");
        Set<String> all = new LinkedHashSet<>();
        all.add(audience);
        if (audiences != null) {
            all.addAll(audiences);
        }
        audiences = Collections.unmodifiableSet(all);
        // Kept in configured order: a response prints scopes in it (seed APIs show "user, password").
        scopes = Scopes.ordered(scopes);
        defaultScopes = Scopes.ordered(defaultScopes);
        if (!scopes.containsAll(defaultScopes)) {
            throw new IllegalArgumentException("default scopes of client '" + id + "' are not all among its scopes");
        }
        tokens = tokens == null ? ClientTokenSettings.INHERIT : tokens;
        redirectUris = List.copyOf(redirectUris);
    }

    /** A client without OpenID Connect settings of its own. */
    public ClientRegistration(String id, String name, List<ClientSecret> secrets, boolean publicClient, Set<String> grants,
            String audience, Set<String> audiences, Set<String> scopes, Set<String> defaultScopes, ClientTokenSettings tokens,
            List<String> redirectUris, boolean firstParty, Origin origin, ClientKeys keys, DpopMode dpop) {
        this(id, name, secrets, publicClient, grants, audience, audiences, scopes, defaultScopes, tokens, redirectUris, firstParty,
                origin, keys, dpop, OpenIdSettings.NONE);
    }

    /** A client that authenticates as before {@code token-endpoint-auth-method} existed, without DPoP. */
    public ClientRegistration(String id, String name, List<ClientSecret> secrets, boolean publicClient, Set<String> grants,
            String audience, Set<String> audiences, Set<String> scopes, Set<String> defaultScopes, ClientTokenSettings tokens,
            List<String> redirectUris, boolean firstParty, Origin origin) {
        this(id, name, secrets, publicClient, grants, audience, audiences, scopes, defaultScopes, tokens, redirectUris, firstParty,
                origin, ClientKeys.DEFAULT, DpopMode.OFF);
    }

    /** A client whose tokens always carry its one {@code audience}. */
    public ClientRegistration(String id, String name, List<ClientSecret> secrets, boolean publicClient, Set<String> grants,
            String audience, Set<String> scopes, Set<String> defaultScopes, ClientTokenSettings tokens,
            List<String> redirectUris, boolean firstParty, Origin origin) {
        this(id, name, secrets, publicClient, grants, audience, Set.of(), scopes, defaultScopes, tokens, redirectUris, firstParty,
                origin);
    }

    /**
     * A client with at most one secret that never expires, created through the administration API
     * ({@link Origin#ADMIN}).
     *
     * @param secretHash the secret's hash; {@code null} for public clients
     */
    public ClientRegistration(String id, String name, String secretHash, boolean publicClient, Set<String> grants,
            String audience, Set<String> scopes, Set<String> defaultScopes, ClientTokenSettings tokens,
            List<String> redirectUris, boolean firstParty) {
        this(id, name, secretHash == null ? List.of() : List.of(ClientSecret.of(secretHash)), publicClient, grants, audience,
                scopes, defaultScopes, tokens, redirectUris, firstParty, Origin.ADMIN);
    }

    /** The newest secret's hash; {@code null} for public clients. */
    public String secretHash() {
        return secrets.isEmpty() ? null : secrets.get(0).hash();
    }

    /** The secrets that work at {@code now}, newest first. */
    public List<ClientSecret> secretsValidAt(Instant now) {
        return secrets.stream().filter(s -> s.isValidAt(now)).toList();
    }

    /** {@code true} when the configuration file declares this client, which then only the file may change. */
    public boolean declaredInFile() {
        return origin == Origin.FILE;
    }

    /** This client with {@code newSecrets} instead of its secrets. */
    public ClientRegistration withSecrets(List<ClientSecret> newSecrets) {
        return new ClientRegistration(id, name, newSecrets, publicClient, grants, audience, audiences, scopes, defaultScopes,
                tokens, redirectUris, firstParty, origin, keys, dpop, openId);
    }

    /** This client recorded as coming from {@code newOrigin}. */
    public ClientRegistration withOrigin(Origin newOrigin) {
        return new ClientRegistration(id, name, secrets, publicClient, grants, audience, audiences, scopes, defaultScopes,
                tokens, redirectUris, firstParty, newOrigin, keys, dpop, openId);
    }

    /** This client with {@code newKeys} and {@code newDpop}. */
    public ClientRegistration withKeys(ClientKeys newKeys, DpopMode newDpop) {
        return new ClientRegistration(id, name, secrets, publicClient, grants, audience, audiences, scopes, defaultScopes,
                tokens, redirectUris, firstParty, origin, newKeys, newDpop, openId);
    }

    /** This client with {@code settings} as its OpenID Connect settings. */
    public ClientRegistration withOpenId(OpenIdSettings settings) {
        return new ClientRegistration(id, name, secrets, publicClient, grants, audience, audiences, scopes, defaultScopes,
                tokens, redirectUris, firstParty, origin, keys, dpop, settings);
    }

    /**
     * A client's OpenID Connect settings.
     *
     * @param requireNonce            an authorization request for {@code openid} without a {@code nonce} is refused
     * @param postLogoutRedirectUris  where RP-initiated logout may send the browser back to, matched exactly
     */
    public record OpenIdSettings(boolean requireNonce, List<String> postLogoutRedirectUris) {

        public static final OpenIdSettings NONE = new OpenIdSettings(false, List.of());

        public OpenIdSettings {
            postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
        }
    }

    /** {@code true} when this client may use {@code grantType}. */
    public boolean allowsGrant(String grantType) {
        return grants.contains(grantType);
    }

    /**
     * Per-client token settings; a {@code null} component inherits the server-wide value.
     *
     * @param accessTokenTtl                    access-token lifetime
     * @param refreshTokenTtl                   refresh-token lifetime
     * @param refreshRotation                   rotate or keep refresh tokens
     * @param refreshTokenForClientCredentials  issue a refresh token with client_credentials (RFC 6749 §4.4.3 says not to; some APIs do)
     * @param refreshWithoutAuthentication      let the refresh token alone identify this confidential client at refresh (weaker)
     * @param expiredBearerAuthentication       accept a genuine, expired access token of this client as its authentication at refresh
     */
    public record ClientTokenSettings(
            Duration accessTokenTtl,
            Duration refreshTokenTtl,
            RefreshRotation refreshRotation,
            boolean refreshTokenForClientCredentials,
            boolean refreshWithoutAuthentication,
            boolean expiredBearerAuthentication) {

        public static final ClientTokenSettings INHERIT = new ClientTokenSettings(null, null, null, false, false, false);
    }
}
