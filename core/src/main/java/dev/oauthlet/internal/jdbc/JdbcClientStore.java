package dev.oauthlet.internal.jdbc;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.ClientRegistration.ClientTokenSettings;
import dev.oauthlet.client.RefreshRotation;
import dev.oauthlet.spi.ClientStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

final class JdbcClientStore implements ClientStore {

    private final Jdbc jdbc;

    JdbcClientStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<ClientRegistration> findById(String clientId) {
        return jdbc.one("SELECT * FROM oauthlet_client WHERE id = ?", JdbcClientStore::map, clientId);
    }

    /** Update, else insert: nodes that start together all save the configured clients, and none may fail. */
    @Override
    public void save(ClientRegistration c) {
        ClientTokenSettings t = c.tokens();
        Object[] values = {c.name(), c.secretHash(), c.publicClient(), join(c.grants()), c.audience(), join(c.scopes()),
                join(c.defaultScopes()), seconds(t.accessTokenTtl()), seconds(t.refreshTokenTtl()),
                t.refreshRotation() == null ? null : t.refreshRotation().name(), t.refreshTokenForClientCredentials(),
                t.refreshWithoutAuthentication(), t.expiredBearerAuthentication(), String.join(" ", c.redirectUris()),
                c.firstParty(), join(c.audiences()), c.id()};
        jdbc.transactionRetryingConflicts(conn -> {
            int updated = Jdbc.update(conn, "UPDATE oauthlet_client SET name = ?, secret_hash = ?, public_client = ?, grants = ?,"
                    + " audience = ?, scopes = ?, default_scopes = ?, access_token_ttl_seconds = ?, refresh_token_ttl_seconds = ?,"
                    + " refresh_rotation = ?, refresh_for_client_credentials = ?, refresh_without_authentication = ?,"
                    + " expired_bearer_authentication = ?, redirect_uris = ?, first_party = ?, audiences = ? WHERE id = ?", values);
            if (updated == 0) {
                Jdbc.update(conn, "INSERT INTO oauthlet_client (name, secret_hash, public_client, grants, audience, scopes,"
                        + " default_scopes, access_token_ttl_seconds, refresh_token_ttl_seconds, refresh_rotation,"
                        + " refresh_for_client_credentials, refresh_without_authentication, expired_bearer_authentication,"
                        + " redirect_uris, first_party, audiences, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        values);
            }
            return null;
        });
    }

    private static ClientRegistration map(ResultSet rs) throws SQLException {
        Long access = Jdbc.longOrNull(rs, "access_token_ttl_seconds");
        Long refresh = Jdbc.longOrNull(rs, "refresh_token_ttl_seconds");
        String rotation = rs.getString("refresh_rotation");
        var tokens = new ClientTokenSettings(access == null ? null : Duration.ofSeconds(access),
                refresh == null ? null : Duration.ofSeconds(refresh), rotation == null ? null : RefreshRotation.valueOf(rotation),
                rs.getBoolean("refresh_for_client_credentials"), rs.getBoolean("refresh_without_authentication"),
                rs.getBoolean("expired_bearer_authentication"));
        String uris = rs.getString("redirect_uris");
        return new ClientRegistration(rs.getString("id"), rs.getString("name"), rs.getString("secret_hash"),
                rs.getBoolean("public_client"), split(rs.getString("grants")), rs.getString("audience"), split(rs.getString("audiences")),
                split(rs.getString("scopes")),
                split(rs.getString("default_scopes")), tokens, uris.isEmpty() ? List.of() : List.of(uris.split(" ")),
                rs.getBoolean("first_party"));
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
