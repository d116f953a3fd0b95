package dev.oauthlet.internal.jdbc;

import dev.oauthlet.spi.ConsentStore;
import dev.oauthlet.spi.FailureCounterStore;
import dev.oauthlet.spi.RevokedTokenStore;
import dev.oauthlet.spi.UsedJtiStore;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** The one-table stores: consents, the access-token deny-list, failure counters and used jtis. */
final class JdbcSmallStores {

    private JdbcSmallStores() {
    }

    static final class Consents implements ConsentStore {
        private final Jdbc jdbc;

        Consents(Jdbc jdbc) {
            this.jdbc = jdbc;
        }

        @Override
        public Set<String> find(String subject, String clientId) {
            return jdbc.one("SELECT scopes FROM oauthlet_consent WHERE subject = ? AND client_id = ?",
                    rs -> JdbcClientStore.split(rs.getString(1)), subject, clientId).orElse(Set.of());
        }

        @Override
        public void save(String subject, String clientId, Set<String> scopes) {
            String joined = JdbcClientStore.join(scopes);
            jdbc.transactionRetryingConflicts(c -> {
                if (Jdbc.update(c, "UPDATE oauthlet_consent SET scopes = ? WHERE subject = ? AND client_id = ?",
                        joined, subject, clientId) == 0) {
                    Jdbc.update(c, "INSERT INTO oauthlet_consent (subject, client_id, scopes) VALUES (?, ?, ?)",
                            subject, clientId, joined);
                }
                return null;
            });
        }

        @Override
        public void revoke(String subject, String clientId) {
            jdbc.update("DELETE FROM oauthlet_consent WHERE subject = ? AND client_id = ?", subject, clientId);
        }
    }

    static final class Revoked implements RevokedTokenStore {
        private final Jdbc jdbc;

        Revoked(Jdbc jdbc) {
            this.jdbc = jdbc;
        }

        /** Revoking twice, even at once from two nodes, is no error: the first entry stands. */
        @Override
        public void revoke(String jti, Instant expiresAt) {
            jdbc.auto(c -> {
                try {
                    return Jdbc.update(c, "INSERT INTO oauthlet_revoked_token (jti, expires_at) VALUES (?, ?)", jti,
                            expiresAt.toEpochMilli());
                } catch (SQLException e) {
                    if (Jdbc.isUniqueViolation(e)) {
                        return 0;
                    }
                    throw e;
                }
            });
        }

        @Override
        public boolean isRevoked(String jti) {
            return jdbc.one("SELECT 1 FROM oauthlet_revoked_token WHERE jti = ?", rs -> 1, jti).isPresent();
        }

        @Override
        public Set<String> activeEntries(Instant now) {
            return jdbc.auto(c -> Set.copyOf(Jdbc.list(c, "SELECT jti FROM oauthlet_revoked_token WHERE expires_at > ?",
                    rs -> rs.getString(1), now.toEpochMilli())));
        }

        @Override
        public int purgeExpired(Instant now, int limit) {
            return jdbc.transaction(c -> {
                Object[] jtis = Jdbc.firstKeys(c, "oauthlet_revoked_token", "jti", "expires_at <= ?", "expires_at", limit,
                        now.toEpochMilli());
                return Jdbc.deleteAll(c, "oauthlet_revoked_token", "jti", jtis);
            });
        }
    }

    static final class Counters implements FailureCounterStore {
        private final Jdbc jdbc;

        Counters(Jdbc jdbc) {
            this.jdbc = jdbc;
        }

        /**
         * One transaction: the update's row lock holds off every other increment of the key until
         * this one has read its own result, so concurrent failures each get a distinct count.
         * Two first failures of a key both insert; the loser retries and updates the winner's row.
         */
        @Override
        public int increment(String key, Instant now, Duration window) {
            long nowMs = now.toEpochMilli();
            long staleBefore = now.minus(window).toEpochMilli();
            return jdbc.transactionRetryingConflicts(c -> {
                int updated = Jdbc.update(c, "UPDATE oauthlet_failure_counter SET"
                                + " failures = CASE WHEN window_start < ? THEN 1 ELSE failures + 1 END,"
                                + " window_start = CASE WHEN window_start < ? THEN ? ELSE window_start END WHERE counter_key = ?",
                        staleBefore, staleBefore, nowMs, key);
                if (updated == 0) {
                    Jdbc.update(c, "INSERT INTO oauthlet_failure_counter (counter_key, failures, window_start) VALUES (?, 1, ?)",
                            key, nowMs);
                    return 1;
                }
                return Jdbc.one(c, "SELECT failures FROM oauthlet_failure_counter WHERE counter_key = ?", rs -> rs.getInt(1), key)
                        .orElseThrow();
            });
        }

        @Override
        public int count(String key, Instant now, Duration window) {
            return jdbc.one("SELECT failures FROM oauthlet_failure_counter WHERE counter_key = ? AND window_start >= ?",
                    rs -> rs.getInt(1), key, now.minus(window).toEpochMilli()).orElse(0);
        }

        @Override
        public void release(String key) {
            jdbc.update("UPDATE oauthlet_failure_counter SET failures = failures - 1 WHERE counter_key = ? AND failures > 0", key);
        }

        @Override
        public void reset(String key) {
            jdbc.update("DELETE FROM oauthlet_failure_counter WHERE counter_key = ?", key);
        }

        @Override
        public int purgeBefore(Instant before, int limit) {
            return jdbc.transaction(c -> {
                Object[] keys = Jdbc.firstKeys(c, "oauthlet_failure_counter", "counter_key", "window_start < ?", null, limit,
                        before.toEpochMilli());
                return Jdbc.deleteAll(c, "oauthlet_failure_counter", "counter_key", keys);
            });
        }
    }

    static final class UsedJtis implements UsedJtiStore {
        private final Jdbc jdbc;

        UsedJtis(Jdbc jdbc) {
            this.jdbc = jdbc;
        }

        /**
         * The primary key decides between two nodes: one insert wins, the other sees a unique
         * violation. An expired entry not purged yet is taken over by a conditional update.
         */
        @Override
        public boolean markUsed(String key, Instant expiresAt, Instant now) {
            return jdbc.auto(c -> {
                try {
                    Jdbc.update(c, "INSERT INTO oauthlet_used_jti (jti_key, expires_at) VALUES (?, ?)", key, expiresAt.toEpochMilli());
                    return true;
                } catch (SQLException e) {
                    if (!Jdbc.isUniqueViolation(e)) {
                        throw e;
                    }
                }
                return Jdbc.update(c, "UPDATE oauthlet_used_jti SET expires_at = ? WHERE jti_key = ? AND expires_at <= ?",
                        expiresAt.toEpochMilli(), key, now.toEpochMilli()) == 1;
            });
        }

        @Override
        public int purgeExpired(Instant now, int limit) {
            return jdbc.transaction(c -> {
                Object[] keys = Jdbc.list(c, "SELECT jti_key FROM oauthlet_used_jti WHERE expires_at <= ?"
                        + " FETCH FIRST " + limit + " ROWS ONLY", rs -> rs.getString(1), now.toEpochMilli()).toArray();
                return keys.length == 0 ? 0 : Jdbc.update(c,
                        "DELETE FROM oauthlet_used_jti WHERE jti_key IN (" + Jdbc.placeholders(keys.length) + ")", keys);
            });
        }
    }
}
