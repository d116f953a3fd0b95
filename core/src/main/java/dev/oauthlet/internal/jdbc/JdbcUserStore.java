package dev.oauthlet.internal.jdbc;

import dev.oauthlet.spi.UserStore;
import dev.oauthlet.user.Tenant;
import dev.oauthlet.user.UserAccount;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
            List<Tenant> tenants = Jdbc.list(c, "SELECT tenant_type, tenant_id FROM oauthlet_user_tenant WHERE username = ?",
                    rs -> new Tenant(rs.getString(1), rs.getString(2)), username);
            Map<String, String> claims = new LinkedHashMap<>();
            Jdbc.list(c, "SELECT name, claim FROM oauthlet_user_claim WHERE username = ?",
                    rs -> claims.put(rs.getString(1), rs.getString(2)), username);
            return Optional.of(new UserAccount(username, hash.get(), tenants, claims));
        });
    }

    @Override
    public void save(UserAccount user) {
        jdbc.transaction(c -> {
            Jdbc.update(c, "DELETE FROM oauthlet_user_tenant WHERE username = ?", user.username());
            Jdbc.update(c, "DELETE FROM oauthlet_user_claim WHERE username = ?", user.username());
            Jdbc.update(c, "DELETE FROM oauthlet_user WHERE username = ?", user.username());
            Jdbc.update(c, "INSERT INTO oauthlet_user (username, password_hash) VALUES (?, ?)", user.username(), user.passwordHash());
            for (Tenant t : user.tenants()) {
                Jdbc.update(c, "INSERT INTO oauthlet_user_tenant (username, tenant_type, tenant_id) VALUES (?, ?, ?)",
                        user.username(), t.type(), t.id());
            }
            for (Map.Entry<String, String> e : user.claims().entrySet()) {
                Jdbc.update(c, "INSERT INTO oauthlet_user_claim (username, name, claim) VALUES (?, ?, ?)",
                        user.username(), e.getKey(), e.getValue());
            }
            return null;
        });
    }
}
