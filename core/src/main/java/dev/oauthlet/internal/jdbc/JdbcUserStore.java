package dev.oauthlet.internal.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.client.Origin;
import dev.oauthlet.spi.UserStore;
import dev.oauthlet.user.Tenant;
import dev.oauthlet.user.UserAccount;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Users with their tenants, in declared order (a request naming only a tenant type gets the first of that type), and claims. */
final class JdbcUserStore implements UserStore {

    private final Jdbc jdbc;

    JdbcUserStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "username, password_hash, origin, subject, userinfo";

    @Override
    public Optional<UserAccount> findByUsername(String username) {
        return findWhere("username", username);
    }

    /** The unique index on {@code subject} finds it; rows of earlier versions got their username as subject in V8. */
    @Override
    public Optional<UserAccount> findBySubject(String subject) {
        return findWhere("subject", subject);
    }

    private Optional<UserAccount> findWhere(String column, String value) {
        return jdbc.auto(c -> {
            Optional<String[]> row = Jdbc.one(c, "SELECT " + COLUMNS + " FROM oauthlet_user WHERE " + column + " = ?",
                    JdbcUserStore::columns, value);
            if (row.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(account(c, row.get()));
        });
    }

    private static String[] columns(java.sql.ResultSet rs) throws SQLException {
        return new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)};
    }

    /** An administrative listing: one query per user for its tenants and claims is fine at the sizes a user store has. */
    @Override
    public List<UserAccount> findAll() {
        return jdbc.auto(c -> {
            List<String[]> rows = Jdbc.list(c, "SELECT " + COLUMNS + " FROM oauthlet_user ORDER BY username", JdbcUserStore::columns);
            List<UserAccount> users = new ArrayList<>();
            for (String[] r : rows) {
                users.add(account(c, r));
            }
            return users;
        });
    }

    private static UserAccount account(Connection c, String[] row) throws SQLException {
        String username = row[0];
        List<Tenant> tenants = Jdbc.list(c, "SELECT tenant_type, tenant_id FROM oauthlet_user_tenant WHERE username = ?"
                + " ORDER BY tenant_order, tenant_type, tenant_id", rs -> new Tenant(rs.getString(1), rs.getString(2)), username);
        Map<String, String> claims = new LinkedHashMap<>();
        Jdbc.list(c, "SELECT name, claim FROM oauthlet_user_claim WHERE username = ?",
                rs -> claims.put(rs.getString(1), rs.getString(2)), username);
        return new UserAccount(username, row[1], tenants, claims, Origin.valueOf(row[2]), row[3], userinfo(row[4]));
    }

    private static Map<String, Object> userinfo(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            Map<String, Object> m = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
            return m;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the userinfo column does not hold a JSON object", e);
        }
    }

    /**
     * The user row is updated (or inserted) first: its row lock then serializes concurrent saves of
     * one user, so their deletes and inserts of tenants and claims cannot interleave.
     */
    @Override
    public void save(UserAccount user) {
        jdbc.transactionRetryingConflicts(c -> {
            String name = user.username();
            String origin = user.origin().name();
            String userinfo = user.userinfo().isEmpty() ? null : dev.oauthlet.protocol.Json.write(user.userinfo());
            if (Jdbc.update(c, "UPDATE oauthlet_user SET password_hash = ?, origin = ?, subject = ?, userinfo = ? WHERE username = ?",
                    user.passwordHash(), origin, user.subject(), userinfo, name) == 0) {
                Jdbc.update(c, "INSERT INTO oauthlet_user (username, password_hash, origin, subject, userinfo) VALUES (?, ?, ?, ?, ?)",
                        name, user.passwordHash(), origin, user.subject(), userinfo);
            }
            Jdbc.update(c, "DELETE FROM oauthlet_user_tenant WHERE username = ?", user.username());
            Jdbc.update(c, "DELETE FROM oauthlet_user_claim WHERE username = ?", user.username());
            int order = 0;
            for (Tenant t : user.tenants()) {
                Jdbc.update(c, "INSERT INTO oauthlet_user_tenant (username, tenant_type, tenant_id, tenant_order) VALUES (?, ?, ?, ?)",
                        user.username(), t.type(), t.id(), order++);
            }
            for (Map.Entry<String, String> e : user.claims().entrySet()) {
                Jdbc.update(c, "INSERT INTO oauthlet_user_claim (username, name, claim) VALUES (?, ?, ?)",
                        user.username(), e.getKey(), e.getValue());
            }
            return null;
        });
    }

    @Override
    public boolean delete(String username) {
        return jdbc.transactionRetryingConflicts(c -> {
            Jdbc.update(c, "DELETE FROM oauthlet_user_tenant WHERE username = ?", username);
            Jdbc.update(c, "DELETE FROM oauthlet_user_claim WHERE username = ?", username);
            return Jdbc.update(c, "DELETE FROM oauthlet_user WHERE username = ?", username) > 0;
        });
    }
}
