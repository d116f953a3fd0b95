package dev.oauthlet.internal.jdbc;

import dev.oauthlet.spi.UserStore;
import dev.oauthlet.user.Tenant;
import dev.oauthlet.user.UserAccount;
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

    @Override
    public Optional<UserAccount> findByUsername(String username) {
        return jdbc.auto(c -> {
            Optional<String> hash = Jdbc.one(c, "SELECT password_hash FROM oauthlet_user WHERE username = ?",
                    rs -> rs.getString(1), username);
            if (hash.isEmpty()) {
                return Optional.empty();
            }
            List<Tenant> tenants = Jdbc.list(c, "SELECT tenant_type, tenant_id FROM oauthlet_user_tenant WHERE username = ?"
                    + " ORDER BY tenant_order, tenant_type, tenant_id", rs -> new Tenant(rs.getString(1), rs.getString(2)), username);
            Map<String, String> claims = new LinkedHashMap<>();
            Jdbc.list(c, "SELECT name, claim FROM oauthlet_user_claim WHERE username = ?",
                    rs -> claims.put(rs.getString(1), rs.getString(2)), username);
            return Optional.of(new UserAccount(username, hash.get(), tenants, claims));
        });
    }

    /**
     * The user row is updated (or inserted) first: its row lock then serializes concurrent saves of
     * one user, so their deletes and inserts of tenants and claims cannot interleave.
     */
    @Override
    public void save(UserAccount user) {
        jdbc.transactionRetryingConflicts(c -> {
            String name = user.username();
            if (Jdbc.update(c, "UPDATE oauthlet_user SET password_hash = ? WHERE username = ?", user.passwordHash(), name) == 0) {
                Jdbc.update(c, "INSERT INTO oauthlet_user (username, password_hash) VALUES (?, ?)", name, user.passwordHash());
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
}
