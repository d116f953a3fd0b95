package dev.oauthlet.admin;

import dev.oauthlet.admin.AdminException.Reason;
import dev.oauthlet.audit.Actor;
import dev.oauthlet.audit.AuditEvent;
import dev.oauthlet.audit.AuditEvent.Type;
import dev.oauthlet.audit.AuditTrail;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.ClientRegistration.ClientTokenSettings;
import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.client.ClientKeys;
import dev.oauthlet.client.ClientSecret;
import dev.oauthlet.client.Origin;
import dev.oauthlet.client.RefreshRotation;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.config.RedirectUris;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.key.SigningKeys;
import dev.oauthlet.protocol.RegisteredClaims;
import dev.oauthlet.spi.SigningKeyRecord;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.user.Tenant;
import dev.oauthlet.user.UserAccount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Adds, changes and removes clients, users, secrets and keys in a server's store, and revokes
 * tokens — what the command line, dynamic client registration and embedding applications use.
 * Get one from {@code Oauthlet.administration(actor)}; every change is an audit event naming
 * that actor. Clients and users the configuration file declares are the file's: changing or
 * removing one is refused with {@link Reason#DECLARED_IN_FILE}.
 *
 * <p>Generated secrets have 256 random bits and are stored as one SHA-256 (docs/security.md);
 * passwords get PBKDF2. Nothing returned here holds a secret except {@link CreatedClient} and
 * {@link #rotateSecret}'s result, once.
 */
public final class Administration {

    /** Client ids and usernames: what fits a URL path segment, a Basic header and a log field unquoted. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:@-]{1,200}");

    private final Storage storage;
    private final OauthletConfig config;
    private final Set<String> grantTypes;
    private final SigningKeys keys;
    private final SecretHasher passwords;
    private final AuditTrail audit;
    private final Actor actor;
    private final Clock clock;

    /**
     * @param grantTypes the grant types the server answers, which a client may be given
     * @param passwords  hashes users' passwords (PBKDF2)
     */
    public Administration(Storage storage, OauthletConfig config, Set<String> grantTypes, SigningKeys keys, SecretHasher passwords,
                          AuditTrail audit, Actor actor, Clock clock) {
        this.storage = storage;
        this.config = config;
        this.grantTypes = Set.copyOf(grantTypes);
        this.keys = keys;
        this.passwords = passwords;
        this.audit = audit;
        this.actor = actor;
        this.clock = clock;
    }

    /** The same administration acting for {@code other}. */
    public Administration as(Actor other) {
        return new Administration(storage, config, grantTypes, keys, passwords, audit, other, clock);
    }

    // ---- clients

    /** Every client, ordered by id. */
    public List<ClientRegistration> clients() {
        return storage.clients().findAll();
    }

    public Optional<ClientRegistration> client(String id) {
        return storage.clients().findById(id);
    }

    /**
     * Adds a client; a confidential one gets a generated secret, returned here once.
     *
     * @throws AdminException {@code ALREADY_EXISTS}, or {@code INVALID} naming what is wrong
     */
    public CreatedClient addClient(NewClient spec) {
        return addClient(spec, null);
    }

    /**
     * Adds a client whose generated secret stops working at {@code secretExpiresAt} ({@code null}:
     * never), as dynamic registration's policy may ask ({@code client_secret_expires_at}).
     *
     * @throws AdminException {@code ALREADY_EXISTS}, or {@code INVALID} naming what is wrong
     */
    public CreatedClient addClient(NewClient spec, Instant secretExpiresAt) {
        String secret = spec.getsSecret() ? SecretHasher.generateSecret() : null;
        ClientRegistration client = spec.authMethod() == ClientAuthMethod.CLIENT_SECRET_JWT && secret != null
                ? validated(spec, List.of(), sealed(spec.id(), secret))
                : validated(spec, secret == null ? List.of() : List.of(new ClientSecret(SecretHasher.hashGenerated(secret), secretExpiresAt)),
                        clientKeys(spec));
        if (storage.clients().findById(spec.id()).isPresent()) {
            throw new AdminException(Reason.ALREADY_EXISTS, "client '" + spec.id() + "' exists already");
        }
        storage.clients().save(client);
        audit.record(AuditEvent.client(Type.CLIENT_ADDED, clock.instant(), actor, client.id(),
                Map.of("grants", String.join(",", new java.util.TreeSet<>(client.grants())))));
        return new CreatedClient(client, secret);
    }

    /**
     * Replaces a client's settings (not its secrets), as RFC 7592 {@code PUT} does.
     *
     * @throws AdminException {@code NOT_FOUND}, {@code DECLARED_IN_FILE}, or {@code INVALID}
     */
    public ClientRegistration replaceClient(NewClient spec) {
        ClientRegistration existing = changeable(spec.id());
        if (existing.publicClient() != spec.publicClient()) {
            throw new AdminException(Reason.INVALID, "a client cannot change between public and confidential; remove it and add it anew");
        }
        if (!java.util.Objects.equals(existing.keys().method(), spec.authMethod())) {
            throw new AdminException(Reason.INVALID, "a client cannot change its token-endpoint-auth-method; remove it and add it anew");
        }
        // A sealed client_secret_jwt secret stays; public keys (private_key_jwt) are the new ones.
        ClientKeys keys = spec.authMethod() == ClientAuthMethod.CLIENT_SECRET_JWT ? existing.keys() : clientKeys(spec);
        ClientRegistration client = validated(spec, existing.secrets(), keys).withOrigin(existing.origin());
        storage.clients().save(client);
        audit.record(AuditEvent.client(Type.CLIENT_CHANGED, clock.instant(), actor, client.id(), Map.of("change", "settings")));
        return client;
    }

    /**
     * Gives a confidential client a new generated secret, returned here once. Its other secrets
     * keep working for {@code overlap} (those that would expire sooner still do), then stop; with a
     * zero overlap they stop at once.
     *
     * @throws AdminException {@code NOT_FOUND}, {@code DECLARED_IN_FILE}, or {@code INVALID} for a public client
     */
    public String rotateSecret(String clientId, Duration overlap) {
        if (overlap.isNegative()) {
            throw new AdminException(Reason.INVALID, "the overlap cannot be negative");
        }
        ClientRegistration client = changeable(clientId);
        if (client.publicClient()) {
            throw new AdminException(Reason.INVALID, "client '" + clientId + "' is public and has no secret");
        }
        Instant now = clock.instant();
        Instant until = now.plus(overlap);
        String secret = SecretHasher.generateSecret();
        if (client.keys().method() == ClientAuthMethod.CLIENT_SECRET_JWT) {
            if (!overlap.isZero()) {
                throw new AdminException(Reason.INVALID, "client '" + clientId + "' uses client_secret_jwt, which has exactly one "
                        + "secret: rotate it with an overlap of 0");
            }
            storage.clients().save(client.withKeys(sealed(clientId, secret), client.dpop()));
            audit.record(AuditEvent.client(Type.CLIENT_CHANGED, now, actor, clientId, Map.of("change", "secret_rotated", "overlap", "PT0S")));
            return secret;
        }
        List<ClientSecret> secrets = new ArrayList<>();
        secrets.add(ClientSecret.of(SecretHasher.hashGenerated(secret)));
        if (!overlap.isZero()) {
            for (ClientSecret s : client.secretsValidAt(now)) {
                Instant expiry = s.expiresAt() != null && s.expiresAt().isBefore(until) ? s.expiresAt() : until;
                secrets.add(new ClientSecret(s.hash(), expiry));
            }
        }
        storage.clients().save(client.withSecrets(secrets));
        audit.record(AuditEvent.client(Type.CLIENT_CHANGED, now, actor, clientId,
                Map.of("change", "secret_rotated", "overlap", overlap.toString())));
        return secret;
    }

    /**
     * Removes a client and revokes its refresh tokens. Access tokens it already holds stay valid
     * until they expire (they are not stored; keep their lifetime short).
     *
     * @return how many refresh tokens were revoked
     * @throws AdminException {@code NOT_FOUND} or {@code DECLARED_IN_FILE}
     */
    public int removeClient(String clientId) {
        changeable(clientId);
        storage.clients().delete(clientId);
        int revoked = storage.refreshTokens().revokeClient(clientId);
        audit.record(AuditEvent.client(Type.CLIENT_REMOVED, clock.instant(), actor, clientId,
                Map.of("refresh_tokens_revoked", Integer.toString(revoked))));
        return revoked;
    }

    /** Revokes every refresh token of a client, which stays registered. Returns how many. */
    public int revokeClientTokens(String clientId) {
        existingClient(clientId);
        int revoked = storage.refreshTokens().revokeClient(clientId);
        audit.record(AuditEvent.client(Type.TOKEN_REVOKED, clock.instant(), actor, clientId,
                Map.of("refresh_tokens_revoked", Integer.toString(revoked))));
        return revoked;
    }

    // ---- users

    /** Every user of the built-in store, ordered by username. */
    public List<UserAccount> users() {
        return storage.users().findAll();
    }

    public Optional<UserAccount> user(String username) {
        return storage.users().findByUsername(username);
    }

    /**
     * Adds a user of the built-in store; the password is hashed with PBKDF2 and not kept.
     *
     * @throws AdminException {@code ALREADY_EXISTS}, or {@code INVALID}
     */
    public UserAccount addUser(String username, String password, List<Tenant> tenants, Map<String, String> claims) {
        name("username", username);
        checkPassword(password);
        for (String claim : claims.keySet()) {
            if (RegisteredClaims.NAMES.contains(claim)) {
                throw new AdminException(Reason.INVALID, "claim '" + claim + "' is set by the server itself and cannot be a user claim");
            }
        }
        if (storage.users().findByUsername(username).isPresent()) {
            throw new AdminException(Reason.ALREADY_EXISTS, "user '" + username + "' exists already");
        }
        UserAccount user = new UserAccount(username, passwords.hash(password), tenants, claims, Origin.ADMIN);
        storage.users().save(user);
        audit.record(AuditEvent.user(Type.USER_ADDED, clock.instant(), actor, username, Map.of()));
        return user;
    }

    /** @throws AdminException {@code NOT_FOUND}, {@code DECLARED_IN_FILE}, or {@code INVALID} */
    public void changePassword(String username, String password) {
        UserAccount user = changeableUser(username);
        checkPassword(password);
        storage.users().save(user.withPasswordHash(passwords.hash(password)));
        audit.record(AuditEvent.user(Type.USER_CHANGED, clock.instant(), actor, username, Map.of("change", "password")));
    }

    /**
     * Removes a user and revokes the refresh tokens issued for it, at every client.
     *
     * @return how many refresh tokens were revoked
     * @throws AdminException {@code NOT_FOUND} or {@code DECLARED_IN_FILE}
     */
    public int removeUser(String username) {
        changeableUser(username);
        storage.users().delete(username);
        int revoked = storage.refreshTokens().revokeSubject(username);
        audit.record(AuditEvent.user(Type.USER_REMOVED, clock.instant(), actor, username,
                Map.of("refresh_tokens_revoked", Integer.toString(revoked))));
        return revoked;
    }

    /** Revokes every refresh token issued for a user, at every client. Returns how many. */
    public int revokeUserTokens(String username) {
        if (storage.users().findByUsername(username).isEmpty()) {
            throw new AdminException(Reason.NOT_FOUND, "no user '" + username + "'");
        }
        int revoked = storage.refreshTokens().revokeSubject(username);
        audit.record(AuditEvent.user(Type.TOKEN_REVOKED, clock.instant(), actor, username,
                Map.of("refresh_tokens_revoked", Integer.toString(revoked))));
        return revoked;
    }

    // ---- keys

    /** The stored signing keys, newest first, without key material; their states as this server sees them now. */
    public List<KeyInfo> keys() {
        Instant now = clock.instant();
        String signing = keys.current().kid();
        Set<String> published = new java.util.HashSet<>();
        keys.published().forEach(k -> published.add(k.kid()));
        List<KeyInfo> out = new ArrayList<>();
        for (SigningKeyRecord r : storage.signingKeys().findAll()) {
            KeyInfo.State state = r.kid().equals(signing) ? KeyInfo.State.ACTIVE
                    : !published.contains(r.kid()) ? KeyInfo.State.EXPIRED
                    : r.signsFrom().isAfter(now) ? KeyInfo.State.NEXT : KeyInfo.State.RETIRED;
            out.add(new KeyInfo(r.kid(), r.algorithm(), r.createdAt(), state, r.publishedUntil()));
        }
        return out;
    }

    /**
     * A new key signs from now on; the old one keeps verifying until its tokens have expired.
     * Other nodes on the store sign with it within 15 seconds.
     *
     * @return the new key's kid
     * @throws AdminException {@code UNSUPPORTED} when keys come from {@code signing.key-file}
     */
    public String rotateKey() {
        String kid;
        try {
            kid = keys.rotate();
        } catch (UnsupportedOperationException e) {
            throw new AdminException(Reason.UNSUPPORTED, "the signing key comes from signing.key-file; rotate it there");
        }
        audit.record(new AuditEvent(Type.KEY_ROTATED, clock.instant(), actor, null, null, null, Map.of("kid", kid)));
        return kid;
    }

    // ---- rules

    /**
     * A stored client_secret_jwt client's keys: HMAC needs the secret itself, so it is kept sealed
     * under the key-encryption key, and without one there is nowhere safe to keep it.
     */
    private ClientKeys sealed(String clientId, String secret) {
        if (!config.signing().keyEncryption().configured()) {
            throw new AdminException(Reason.INVALID, "client_secret_jwt for a client in the store needs signing.key-encryption-key: "
                    + "HMAC needs the secret itself, which is kept encrypted under that key (configure one, or declare the client "
                    + "in the configuration file, or use client_secret_basic or private_key_jwt)");
        }
        return ClientKeys.sealSecret(clientId, secret, config.signing().keyEncryption());
    }

    private static ClientKeys clientKeys(NewClient spec) {
        if (spec.authMethod() == null && spec.jwks() == null && spec.jwksUri() == null) {
            return ClientKeys.DEFAULT;
        }
        try {
            return new ClientKeys(spec.authMethod(), spec.jwks(), spec.jwksUri(), null);
        } catch (IllegalArgumentException e) {
            throw new AdminException(Reason.INVALID, e.getMessage());
        }
    }

    private ClientRegistration validated(NewClient spec, List<ClientSecret> secrets, ClientKeys clientKeys) {
        name("client id", spec.id());
        if (spec.grants().isEmpty()) {
            throw new AdminException(Reason.INVALID, "no grants (known: " + String.join(", ", new java.util.TreeSet<>(grantTypes)) + ")");
        }
        for (String g : spec.grants()) {
            if (!grantTypes.contains(g)) {
                throw new AdminException(Reason.INVALID, "unknown grant '" + g + "' (known: " + String.join(", ", new java.util.TreeSet<>(grantTypes)) + ")");
            }
        }
        String audience = spec.audience();
        List<String> audiences = config.audiences();
        if (audience == null && audiences.size() == 1) {
            audience = audiences.get(0);
        }
        if (audience == null && !spec.audiences().isEmpty()) {
            audience = spec.audiences().get(0);
        }
        for (String a : spec.audiences()) {
            if (!audiences.contains(a)) {
                throw new AdminException(Reason.INVALID, "unknown audience '" + a + "' (known: " + String.join(", ", audiences) + ")");
            }
        }
        if (audience == null) {
            throw new AdminException(Reason.INVALID, "no audience (name one of: " + String.join(", ", audiences) + ")");
        }
        if (!audiences.isEmpty() && !audiences.contains(audience)) {
            throw new AdminException(Reason.INVALID, "unknown audience '" + audience + "' (known: " + String.join(", ", audiences) + ")");
        }
        for (String uri : spec.redirectUris()) {
            if (!RedirectUris.isAllowed(uri)) {
                throw new AdminException(Reason.INVALID, "redirect URI '" + uri + "' must be an absolute https URI without fragment (http only on loopback)");
            }
        }
        if (spec.grants().contains("authorization_code") && spec.redirectUris().isEmpty()) {
            throw new AdminException(Reason.INVALID, "a client with the authorization_code grant needs at least one redirect URI");
        }
        for (String scope : spec.scopes()) {
            if (scope.isEmpty() || scope.chars().anyMatch(c -> c <= 0x20 || c == '"' || c == '\\' || c >= 0x7f)) {
                throw new AdminException(Reason.INVALID, "scope '" + scope + "' may hold only printable ASCII without space, quote or backslash (RFC 6749 3.3)");
            }
        }
        Set<String> scopes = new LinkedHashSet<>(spec.scopes());
        RefreshRotation rotation = spec.rotation() != null ? spec.rotation() : config.tokens().refreshRotation();
        if (spec.publicClient() && spec.grants().contains("refresh_token") && rotation == RefreshRotation.KEEP) {
            // RFC 9700 4.14.2, as the configuration file refuses it.
            throw new AdminException(Reason.INVALID, "a public client's refresh tokens must rotate (RFC 9700 4.14.2); use rotation rotate");
        }
        var tokens = new ClientTokenSettings(spec.accessTokenTtl(), null, spec.rotation(), false, false, false);
        try {
            return new ClientRegistration(spec.id(), spec.name(), secrets, spec.publicClient(), spec.grants(), audience,
                    new LinkedHashSet<>(spec.audiences()), scopes, scopes, tokens, spec.redirectUris(), false,
                    actor == Actor.REGISTRATION ? Origin.REGISTRATION : Origin.ADMIN, clientKeys, spec.dpop());
        } catch (IllegalArgumentException e) {
            throw new AdminException(Reason.INVALID, e.getMessage());
        }
    }

    private ClientRegistration existingClient(String id) {
        return storage.clients().findById(id).orElseThrow(() -> new AdminException(Reason.NOT_FOUND, "no client '" + id + "'"));
    }

    private ClientRegistration changeable(String id) {
        ClientRegistration c = existingClient(id);
        if (c.declaredInFile()) {
            throw new AdminException(Reason.DECLARED_IN_FILE, "client '" + id + "' is declared in the configuration file; change it there");
        }
        return c;
    }

    private UserAccount changeableUser(String username) {
        UserAccount u = storage.users().findByUsername(username)
                .orElseThrow(() -> new AdminException(Reason.NOT_FOUND, "no user '" + username + "'"));
        if (u.declaredInFile()) {
            throw new AdminException(Reason.DECLARED_IN_FILE, "user '" + username + "' is declared in the configuration file; change it there");
        }
        return u;
    }

    private static void name(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new AdminException(Reason.INVALID, what + " '" + value + "' must be 1 to 200 of A-Z a-z 0-9 . _ : @ -");
        }
    }

    private static void checkPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new AdminException(Reason.INVALID, "the password is empty");
        }
    }
}
