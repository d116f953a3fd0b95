package dev.oauthlet.internal.jdbc;

import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.client.ClientKeys;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.DpopMode;
import dev.oauthlet.client.ClientRegistration.ClientTokenSettings;
import dev.oauthlet.client.ClientSecret;
import dev.oauthlet.client.Origin;
import dev.oauthlet.client.RefreshRotation;
import dev.oauthlet.spi.ClientStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Clients, with their secrets (newest first) in {@code oauthlet_client_secret}, read in the same query. */
final class JdbcClientStore implements ClientStore {

    private static final String SELECT = "SELECT c.*, s.hash AS secret, s.expires_at AS secret_expires_at FROM oauthlet_client c"
            + " LEFT JOIN oauthlet_client_secret s ON s.client_id = c.id";

    private final Jdbc jdbc;

    JdbcClientStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<ClientRegistration> findById(String clientId) {
        return jdbc.auto(c -> clients(c, SELECT + " WHERE c.id = ? ORDER BY s.secret_order", clientId).stream().findFirst());
    }

    @Override
    public List<ClientRegistration> findAll() {
        return jdbc.auto(c -> clients(c, SELECT + " ORDER BY c.id, s.secret_order"));
    }

    /**
     * Update, else insert: nodes that start together all save the configured clients, and none may
     * fail. The client row is written first, so its row lock serializes concurrent saves of one
     * client and their secret rows cannot interleave. {@code secret_hash} keeps the newest secret
     * for nodes of the previous schema version during a rolling upgrade.
     */
    @Override
    public void save(ClientRegistration c) {
        ClientTokenSettings t = c.tokens();
        Object[] values = {c.name(), c.secretHash(), c.publicClient(), join(c.grants()), c.audience(), join(c.scopes()),
                join(c.defaultScopes()), seconds(t.accessTokenTtl()), seconds(t.refreshTokenTtl()),
                t.refreshRotation() == null ? null : t.refreshRotation().name(), t.refreshTokenForClientCredentials(),
                t.refreshWithoutAuthentication(), t.expiredBearerAuthentication(), String.join(" ", c.redirectUris()),
                c.firstParty(), c.origin().name(), join(c.audiences()),
                c.keys().method() == null ? null : c.keys().method().name(), c.keys().jwks(),
                c.keys().jwksUri() == null ? null : c.keys().jwksUri().toString(), c.dpop().name(), c.keys().sealedSecret(), c.id()};
        jdbc.transactionRetryingConflicts(conn -> {
            int updated = Jdbc.update(conn, "UPDATE oauthlet_client SET name = ?, secret_hash = ?, public_client = ?, grants = ?,"
                    + " audience = ?, scopes = ?, default_scopes = ?, access_token_ttl_seconds = ?, refresh_token_ttl_seconds = ?,"
                    + " refresh_rotation = ?, refresh_for_client_credentials = ?, refresh_without_authentication = ?,"
                    + " expired_bearer_authentication = ?, redirect_uris = ?, first_party = ?, origin = ?, audiences = ?, auth_method = ?,"
                    + " jwks = ?, jwks_uri = ?, dpop = ?, sealed_secret = ? WHERE id = ?", values);
            if (updated == 0) {
                Jdbc.update(conn, "INSERT INTO oauthlet_client (name, secret_hash, public_client, grants, audience, scopes,"
                        + " default_scopes, access_token_ttl_seconds, refresh_token_ttl_seconds, refresh_rotation,"
                        + " refresh_for_client_credentials, refresh_without_authentication, expired_bearer_authentication,"
                        + " redirect_uris, first_party, origin, audiences, auth_method, jwks, jwks_uri, dpop, sealed_secret, id)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values);
            }
            Jdbc.update(conn, "DELETE FROM oauthlet_client_secret WHERE client_id = ?", c.id());
            int order = 0;
            for (ClientSecret s : c.secrets()) {
                Jdbc.update(conn, "INSERT INTO oauthlet_client_secret (client_id, hash, expires_at, secret_order) VALUES (?, ?, ?, ?)",
                        c.id(), s.hash(), s.expiresAt() == null ? null : s.expiresAt().toEpochMilli(), order++);
            }
            return null;
        });
    }

    @Override
    public boolean delete(String clientId) {
        return jdbc.transactionRetryingConflicts(conn -> {
            Jdbc.update(conn, "DELETE FROM oauthlet_client_secret WHERE client_id = ?", clientId);
            return Jdbc.update(conn, "DELETE FROM oauthlet_client WHERE id = ?", clientId) > 0;
        });
    }

    @Override
    public Optional<String> registrationTokenHash(String clientId) {
        // A client without one maps to "", as Optional cannot hold null.
        return jdbc.one("SELECT registration_token_hash FROM oauthlet_client WHERE id = ?",
                rs -> java.util.Objects.requireNonNullElse(rs.getString("registration_token_hash"), ""), clientId).filter(h -> !h.isEmpty());
    }

    @Override
    public boolean saveRegistrationTokenHash(String clientId, String hash) {
        return jdbc.transactionRetryingConflicts(conn ->
                Jdbc.update(conn, "UPDATE oauthlet_client SET registration_token_hash = ? WHERE id = ?", hash, clientId) > 0);
    }

    /** One row per secret (one for a public client): rows of one client are adjacent, its secrets in order. */
    private static List<ClientRegistration> clients(Connection c, String sql, Object... args) throws SQLException {
        Map<String, ResultRow> byId = new LinkedHashMap<>();
        Jdbc.list(c, sql, rs -> {
            ResultRow row = byId.computeIfAbsent(rs.getString("id"), id -> new ResultRow(rs));
            String hash = rs.getString("secret");
            if (hash != null) {
                Long expires = Jdbc.longOrNull(rs, "secret_expires_at");
                row.secrets.add(new ClientSecret(hash, expires == null ? null : Instant.ofEpochMilli(expires)));
            }
            return null;
        }, args);
        return byId.values().stream().map(ResultRow::toClient).toList();
    }

    /** The client columns of a result row, read once per client, and the secrets gathered from its rows. */
    private static final class ResultRow {
        private final ClientRegistration columns;
        private final List<ClientSecret> secrets = new ArrayList<>();

        private ResultRow(ResultSet rs) {
            try {
                columns = map(rs);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        ClientRegistration toClient() {
            return secrets.isEmpty() ? columns : columns.withSecrets(secrets);
        }
    }

    /** The client's columns, with a placeholder secret list that {@link ResultRow#toClient} replaces. */
    private static ClientRegistration map(ResultSet rs) throws SQLException {
        Long access = Jdbc.longOrNull(rs, "access_token_ttl_seconds");
        Long refresh = Jdbc.longOrNull(rs, "refresh_token_ttl_seconds");
        String rotation = rs.getString("refresh_rotation");
        var tokens = new ClientTokenSettings(access == null ? null : Duration.ofSeconds(access),
                refresh == null ? null : Duration.ofSeconds(refresh), rotation == null ? null : RefreshRotation.valueOf(rotation),
                rs.getBoolean("refresh_for_client_credentials"), rs.getBoolean("refresh_without_authentication"),
                rs.getBoolean("expired_bearer_authentication"));
        String uris = rs.getString("redirect_uris");
        boolean isPublic = rs.getBoolean("public_client");
        String method = rs.getString("auth_method");
        String jwksUri = rs.getString("jwks_uri");
        ClientKeys keys = new ClientKeys(method == null ? null : ClientAuthMethod.valueOf(method), rs.getString("jwks"),
                jwksUri == null ? null : java.net.URI.create(jwksUri), null, rs.getString("sealed_secret"));
        boolean hashed = !isPublic && (keys.method() == null || !keys.method().assertion());
        return new ClientRegistration(rs.getString("id"), rs.getString("name"),
                hashed ? List.of(ClientSecret.of(rs.getString("secret_hash"))) : List.of(), isPublic,
                split(rs.getString("grants")), rs.getString("audience"), split(rs.getString("audiences")), split(rs.getString("scopes")),
                split(rs.getString("default_scopes")), tokens, uris.isEmpty() ? List.of() : List.of(uris.split(" ")),
                rs.getBoolean("first_party"), Origin.valueOf(rs.getString("origin")), keys, DpopMode.valueOf(rs.getString("dpop")));
    }

    static String join(Set<String> values) {
        return String.join(" ", values);
    }

    static Set<String> split(String value) {
        return value == null || value.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(value.split(" ")));
    }

    /** A space-delimited list, order kept. */
    static List<String> list(String value) {
        return value == null || value.isEmpty() ? List.of() : List.of(value.split(" "));
    }

    private static Long seconds(Duration d) {
        return d == null ? null : d.getSeconds();
    }
}
