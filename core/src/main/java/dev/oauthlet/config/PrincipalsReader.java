package dev.oauthlet.config;

import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.client.ClientKeys;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.DpopMode;
import dev.oauthlet.client.ClientSecret;
import dev.oauthlet.client.Origin;
import dev.oauthlet.client.RefreshRotation;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.internal.VerifiedSecrets;
import dev.oauthlet.protocol.RegisteredClaims;
import dev.oauthlet.user.Tenant;
import dev.oauthlet.user.UserAccount;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code clients:} and {@code users:} entries of the configuration — the part that
 * names who may get tokens, and the only part that handles secrets: plain {@code secret} and
 * {@code password} values are hashed here and not kept.
 */
final class PrincipalsReader {

    private static final List<String> CLIENT_KEYS = List.of(
            "id", "name", "secret", "secret-hash", "secrets", "public", "grants", "audience", "audiences", "scopes", "default-scopes",
            "access-token-ttl", "refresh-token-ttl", "refresh-token-rotation", "refresh-token-for-client-credentials",
            "refresh-without-client-authentication", "expired-token-authentication", "redirect-uris", "first-party",
            "token-endpoint-auth-method", "jwks", "jwks-uri", "dpop", "introspect-audiences");

    private final Set<String> knownGrants;
    private final SecretHasher hasher;

    PrincipalsReader(Set<String> knownGrants, SecretHasher hasher) {
        this.knownGrants = knownGrants;
        this.hasher = hasher;
    }

    /**
     * {@code introspect-audiences} of a client entry: the deployment's policy of who may read
     * whose tokens, kept in the configuration rather than with the client in the store.
     */
    static Set<String> introspectAudiences(ConfigNode n, List<String> audiences) {
        List<String> listed = n.strings("introspect-audiences");
        for (int i = 0; i < listed.size(); i++) {
            if (!audiences.contains(listed.get(i))) {
                throw n.elementError("introspect-audiences", i, "unknown audience '" + listed.get(i) + "' (known: "
                        + String.join(", ", audiences) + ")");
            }
        }
        return Set.copyOf(listed);
    }

    ClientRegistration client(ConfigNode n, List<String> audiences) {
        n.allowOnly(CLIENT_KEYS);
        String id = n.requiredString("id", "every client needs an id");
        boolean isPublic = n.bool("public", false);
        ClientKeys keys = keys(n, id, isPublic);
        boolean single = n.has("secret") || n.has("secret-hash");
        if (single && n.has("secrets")) {
            throw n.error("has both 'secret'/'secret-hash' and 'secrets' (list every secret under 'secrets')");
        }
        List<ClientSecret> secrets = keys.method() != null && keys.method().assertion() ? List.of()
                : single ? List.of(secret(n, null)) : n.each("secrets", s -> secret(s, List.of("expires")));
        if (isPublic && !secrets.isEmpty()) {
            throw n.error("public client '" + id + "' has a secret (remove it, or set public: false)");
        }
        if (!isPublic && secrets.isEmpty() && (keys.method() == null || !keys.method().assertion())) {
            throw n.error("confidential client '" + id + "' needs 'secret', 'secret-hash' or 'secrets' (or set public: true)");
        }
        List<String> grants = n.strings("grants");
        if (grants.isEmpty()) {
            throw n.child("grants").error("missing (list the grants this client may use; known: " + String.join(", ", knownGrants) + ")");
        }
        for (int i = 0; i < grants.size(); i++) {
            if (!knownGrants.contains(grants.get(i))) {
                throw n.elementError("grants", i, "unknown grant '" + grants.get(i) + "' (known: " + String.join(", ", knownGrants) + ")");
            }
        }
        List<String> selectable = n.strings("audiences");
        for (int i = 0; i < selectable.size(); i++) {
            if (!audiences.contains(selectable.get(i))) {
                throw n.elementError("audiences", i, "unknown audience '" + selectable.get(i) + "' (known: "
                        + String.join(", ", audiences) + "; list it under the top-level audiences first)");
            }
        }
        String audience = n.string("audience", null);
        if (audience == null && audiences.size() == 1) {
            audience = audiences.get(0);
        }
        if (audience == null && !selectable.isEmpty()) {
            audience = selectable.get(0);
        }
        if (audience == null) {
            throw n.child("audience").error("missing (name one of the audiences: " + String.join(", ", audiences) + ")");
        }
        if (!audiences.isEmpty() && !audiences.contains(audience)) {
            throw n.child("audience").error("unknown audience '" + audience + "' (known: " + String.join(", ", audiences) + ")");
        }
        Set<String> scopes = new LinkedHashSet<>(n.strings("scopes"));
        List<String> defaults = n.has("default-scopes") ? n.strings("default-scopes") : new ArrayList<>(scopes);
        for (int i = 0; i < defaults.size(); i++) {
            if (!scopes.contains(defaults.get(i))) {
                throw n.elementError("default-scopes", i, "scope '" + defaults.get(i) + "' is not among the client's scopes (" + String.join(", ", scopes) + ")");
            }
        }
        List<String> redirectUris = n.strings("redirect-uris");
        for (int i = 0; i < redirectUris.size(); i++) {
            String uri = redirectUris.get(i);
            if (!RedirectUris.isAllowed(uri)) {
                throw n.elementError("redirect-uris", i, "'" + uri + "' must be an absolute https URI without fragment (http only on loopback)");
            }
        }
        if (grants.contains("authorization_code") && redirectUris.isEmpty()) {
            throw n.child("redirect-uris").error("missing (a client with the authorization_code grant needs at least one redirect URI)");
        }
        var tokenSettings = new ClientRegistration.ClientTokenSettings(
                n.positiveDuration("access-token-ttl", null),
                n.positiveDuration("refresh-token-ttl", null),
                n.choice("refresh-token-rotation", null, RefreshRotation.class),
                n.bool("refresh-token-for-client-credentials", false),
                n.bool("refresh-without-client-authentication", false),
                n.bool("expired-token-authentication", false));
        if (isPublic && tokenSettings.refreshWithoutAuthentication()) {
            throw n.child("refresh-without-client-authentication").error("only for confidential clients (public clients never authenticate)");
        }
        if (isPublic && tokenSettings.expiredBearerAuthentication()) {
            throw n.child("expired-token-authentication").error("only for confidential clients (a public client's token proves nothing)");
        }
        // These opt-ins only act on refresh requests: without the refresh_token grant they would silently do nothing.
        for (String optIn : List.of("refresh-token-for-client-credentials", "refresh-without-client-authentication",
                "expired-token-authentication")) {
            if (n.bool(optIn, false) && !grants.contains("refresh_token")) {
                throw n.child(optIn).error("needs the refresh_token grant (add refresh_token to grants)");
            }
        }
        if (tokenSettings.refreshTokenForClientCredentials() && !grants.contains("client_credentials")) {
            throw n.child("refresh-token-for-client-credentials").error("needs the client_credentials grant (add it to grants)");
        }
        return new ClientRegistration(id, n.string("name", id), secrets, isPublic, new LinkedHashSet<>(grants), audience,
                new LinkedHashSet<>(selectable), scopes, new LinkedHashSet<>(defaults), tokenSettings, redirectUris,
                n.bool("first-party", false), Origin.FILE, keys, n.choice("dpop", DpopMode.OFF, DpopMode.class));
    }

    /**
     * {@code token-endpoint-auth-method} with what it needs: {@code private_key_jwt} exactly one of
     * {@code jwks} and {@code jwks-uri}; {@code client_secret_jwt} a plain {@code secret} of at least
     * 32 bytes (an HMAC key; a hash cannot verify, and HS256 wants 256 bits); {@code none} a public client.
     */
    private static ClientKeys keys(ConfigNode n, String id, boolean isPublic) {
        String name = n.string("token-endpoint-auth-method", null);
        ClientAuthMethod method = name == null ? null : ClientAuthMethod.fromWire(name);
        if (name != null && method == null) {
            throw n.child("token-endpoint-auth-method").error("unknown method '" + name
                    + "' (known: client_secret_basic, client_secret_post, private_key_jwt, client_secret_jwt, none)");
        }
        if (method == ClientAuthMethod.NONE && !isPublic) {
            throw n.child("token-endpoint-auth-method").error("none is for public clients (set public: true)");
        }
        if (isPublic && method != null && method != ClientAuthMethod.NONE) {
            throw n.child("token-endpoint-auth-method").error("a public client authenticates with none (remove the method, or set public: false)");
        }
        String jwks = n.json("jwks");
        String jwksUri = n.string("jwks-uri", null);
        if (method != ClientAuthMethod.PRIVATE_KEY_JWT) {
            for (String k : List.of("jwks", "jwks-uri")) {
                if (n.has(k)) {
                    throw n.child(k).error("only for token-endpoint-auth-method: private_key_jwt");
                }
            }
        }
        if (method == ClientAuthMethod.PRIVATE_KEY_JWT) {
            if ((jwks == null) == (jwksUri == null)) {
                throw n.error("client '" + id + "' with private_key_jwt needs exactly one of 'jwks' and 'jwks-uri'");
            }
            for (String k : List.of("secret", "secret-hash", "secrets")) {
                if (n.has(k)) {
                    throw n.child(k).error("a private_key_jwt client has no secret (remove it)");
                }
            }
            if (jwks != null && !ClientKeys.hasPublicKey(jwks)) {
                throw n.child("jwks").error("not a JWK Set with a public key that has a kid (give {keys: [{kty: EC, crv: P-256, x: ..., y: ..., kid: ...}]})");
            }
            java.net.URI uri = null;
            if (jwksUri != null) {
                if (!RedirectUris.isAllowed(jwksUri)) {
                    throw n.child("jwks-uri").error("'" + jwksUri + "' must be an absolute https URI (http only on loopback)");
                }
                uri = java.net.URI.create(jwksUri);
            }
            return new ClientKeys(method, jwks, uri, null);
        }
        if (method == ClientAuthMethod.CLIENT_SECRET_JWT) {
            if (n.has("secret-hash") || n.has("secrets")) {
                throw n.error("client '" + id + "' with client_secret_jwt needs 'secret' itself: HMAC cannot verify with a hash");
            }
            String secret = n.string("secret", null);
            if (secret == null || secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
                throw n.child("secret").error("client_secret_jwt needs a secret of at least 32 bytes (HS256 keys have 256 bits); "
                        + "give it from the environment, e.g. secret: ${CLIENT_SECRET}");
            }
            return new ClientKeys(method, null, null, secret);
        }
        return method == null ? ClientKeys.DEFAULT : new ClientKeys(method, null, null, null);
    }

    /**
     * One secret: {@code secret} (hashed here) or {@code secret-hash}, and, inside {@code secrets:},
     * an optional {@code expires} instant.
     */
    private ClientSecret secret(ConfigNode n, List<String> extraKeys) {
        if (extraKeys != null) {
            List<String> keys = new ArrayList<>(List.of("secret", "secret-hash"));
            keys.addAll(extraKeys);
            n.allowOnly(keys);
        }
        String secret = n.string("secret", null);
        String secretHash = n.string("secret-hash", null);
        if (secret != null && secretHash != null) {
            throw n.error("has both 'secret' and 'secret-hash' (keep one)");
        }
        if (secret == null && secretHash == null) {
            throw n.error("needs 'secret' or 'secret-hash'");
        }
        if (secretHash != null && !SecretHasher.isHash(secretHash)) {
            throw n.child("secret-hash").error("not a pbkdf2-sha256 or sha256 hash (generate one with: java -jar jetty-example.jar --hash-secret)");
        }
        if (secret != null) {
            if (secret.isEmpty()) {
                throw n.child("secret").error("empty (set a secret, or public: true)");
            }
            secretHash = hasher.hash(secret);
            // The plain text is at hand now: remember it, so the first request needs no second PBKDF2 run.
            VerifiedSecrets.remember(secretHash, secret);
        }
        Instant expires = null;
        String expiresText = n.string("expires", null);
        if (expiresText != null) {
            try {
                expires = Instant.parse(expiresText);
            } catch (DateTimeParseException e) {
                throw n.child("expires").error("'" + expiresText + "' is not an instant (write e.g. 2027-01-31T00:00:00Z)");
            }
        }
        return new ClientSecret(secretHash, expires);
    }

    UserAccount user(ConfigNode n) {
        n.allowOnly(List.of("username", "password", "password-hash", "tenants", "claims"));
        String username = n.requiredString("username", "every user needs a username");
        String password = n.string("password", null);
        String hash = n.string("password-hash", null);
        if ((password == null) == (hash == null)) {
            throw n.error("user '" + username + "' needs exactly one of 'password' or 'password-hash'");
        }
        if (hash != null && !SecretHasher.isPbkdf2Hash(hash)) {
            throw n.child("password-hash").error("not a pbkdf2-sha256 hash (generate one with: java -jar jetty-example.jar --hash-secret)");
        }
        if (password != null) {
            hash = hasher.hash(password);
        }
        List<Tenant> tenants = n.each("tenants", t -> {
            t.allowOnly(List.of("type", "id"));
            return new Tenant(t.requiredString("type", "e.g. type: merchant"), t.requiredString("id", "e.g. id: someMerchant"));
        });
        var claims = n.stringMap("claims");
        for (String name : claims.keySet()) {
            if (RegisteredClaims.NAMES.contains(name)) {
                throw n.child("claims").child(name).error("'" + name + "' is set by the server itself and cannot be a user claim");
            }
        }
        return new UserAccount(username, hash, tenants, claims, Origin.FILE);
    }
}
