package dev.oauthlet.internal.jdbc;

import dev.oauthlet.spi.RefreshTokenRecord;
import dev.oauthlet.spi.RefreshTokenRecord.State;
import dev.oauthlet.spi.RefreshTokenStore;
import dev.oauthlet.user.SignInContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Refresh tokens by hash. {@link #rotate} is a compare-and-set on the {@code state} column: the
 * database's row lock lets exactly one of any number of concurrent callers, on any node, win.
 */
final class JdbcRefreshTokenStore implements RefreshTokenStore {

    private final Jdbc jdbc;

    JdbcRefreshTokenStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void save(RefreshTokenRecord t) {
        jdbc.transaction(c -> {
            insert(c, t);
            return null;
        });
    }

    /** Inserts the token and, for the first token of its family, the family's claims. */
    private static void insert(Connection c, RefreshTokenRecord t) throws SQLException {
        insertToken(c, t);
        // Claims belong to the family and are written once: every later token of it shares them.
        if (t.claims().isEmpty()
                || Jdbc.one(c, "SELECT 1 FROM oauthlet_refresh_claim WHERE family_id = ? FETCH FIRST 1 ROWS ONLY", rs -> 1,
                t.familyId()).isPresent()) {
            return;
        }
        for (Map.Entry<String, String> e : t.claims().entrySet()) {
            Jdbc.update(c, "INSERT INTO oauthlet_refresh_claim (family_id, name, claim) VALUES (?, ?, ?)",
                    t.familyId(), e.getKey(), e.getValue());
        }
    }

    private static void insertToken(Connection c, RefreshTokenRecord t) throws SQLException {
        Jdbc.update(c, "INSERT INTO oauthlet_refresh_token (hash, family_id, client_id, subject, scopes, issued_at, expires_at,"
                        + " state, rotated_at, sealed_successor, audiences, family_started_at, dpop_jkt, auth_time, acr, amr)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                t.hash(), t.familyId(), t.clientId(), t.subject(), JdbcClientStore.join(t.scopes()), t.issuedAt().toEpochMilli(),
                t.expiresAt().toEpochMilli(), t.state().name(), t.rotatedAt() == null ? null : t.rotatedAt().toEpochMilli(),
                t.sealedSuccessor() == null ? null : Base64.getEncoder().encodeToString(t.sealedSuccessor()),
                String.join(" ", t.audiences()), t.familyStartedAt().toEpochMilli(), t.dpopJkt(),
                t.authTime() == null ? null : t.authTime().toEpochMilli(), t.signIn().acr(), t.signIn().amrText());
    }

    /** One round trip: the token and its family's claims, joined. */
    @Override
    public Optional<RefreshTokenRecord> findByHash(String hash) {
        return jdbc.auto(c -> {
            Row row = null;
            Map<String, String> claims = new LinkedHashMap<>();
            for (Object[] r : Jdbc.list(c, "SELECT t.*, c.name AS claim_name, c.claim AS claim_value FROM oauthlet_refresh_token t"
                    + " LEFT JOIN oauthlet_refresh_claim c ON c.family_id = t.family_id WHERE t.hash = ?",
                    rs -> new Object[] {Row.of(rs), rs.getString("claim_name"), rs.getString("claim_value")}, hash)) {
                row = (Row) r[0];
                if (r[1] != null) {
                    claims.put((String) r[1], (String) r[2]);
                }
            }
            return row == null ? Optional.<RefreshTokenRecord>empty() : Optional.of(row.toRecord(claims));
        });
    }

    @Override
    public boolean rotate(String hash, Instant at, byte[] sealedSuccessor, RefreshTokenRecord successor) {
        return jdbc.transaction(c -> {
            int won = Jdbc.update(c, "UPDATE oauthlet_refresh_token SET state = ?, rotated_at = ?, sealed_successor = ?"
                            + " WHERE hash = ? AND state = ?", State.ROTATED.name(), at.toEpochMilli(),
                    Base64.getEncoder().encodeToString(sealedSuccessor), hash, State.ACTIVE.name());
            if (won == 1) {
                // The successor continues the family, whose claims its first token stored.
                insertToken(c, successor);
            }
            return won == 1;
        });
    }

    /**
     * Each revocation repeats its update until it changes nothing. A rotation committing while the first update
     * runs adds a successor that update's snapshot cannot see; the update waited for that
     * rotation's row lock, so the next one sees the successor. Rotation of a revoked token fails,
     * so the loop ends.
     */
    @Override
    public int revokeFamily(String familyId) {
        return revokeWhere("family_id", familyId);
    }

    /** Rare (a client is removed): a scan of the table is cheaper overall than an index every token insert maintains. */
    @Override
    public int revokeClient(String clientId) {
        return revokeWhere("client_id", clientId);
    }

    @Override
    public int revokeSubject(String subject) {
        return revokeWhere("subject", subject);
    }

    private int revokeWhere(String column, String value) {
        int total = 0;
        int changed;
        do {
            changed = jdbc.update("UPDATE oauthlet_refresh_token SET state = ? WHERE " + column + " = ? AND state <> ?",
                    State.REVOKED.name(), value, State.REVOKED.name());
            total += changed;
        } while (changed > 0);
        return total;
    }

    @Override
    public int purgeExpired(Instant now, int limit) {
        return jdbc.transaction(c -> {
            List<String[]> expired = Jdbc.list(c, "SELECT hash, family_id FROM oauthlet_refresh_token WHERE expires_at <= ?"
                    + " ORDER BY expires_at FETCH FIRST " + limit + " ROWS ONLY",
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, now.toEpochMilli());
            if (expired.isEmpty()) {
                return 0;
            }
            Object[] hashes = expired.stream().map(e -> e[0]).toArray();
            Object[] families = expired.stream().map(e -> e[1]).distinct().toArray();
            int deleted = Jdbc.deleteAll(c, "oauthlet_refresh_token", "hash", hashes);
            Jdbc.update(c, "DELETE FROM oauthlet_refresh_claim WHERE family_id IN (" + Jdbc.placeholders(families.length) + ")"
                    + " AND NOT EXISTS (SELECT 1 FROM oauthlet_refresh_token t WHERE t.family_id = oauthlet_refresh_claim.family_id)",
                    families);
            return deleted;
        });
    }

    private record Row(String hash, String familyId, String clientId, String subject, String scopes, long issuedAt,
                       long expiresAt, String state, Long rotatedAt, String sealed, String audiences, Long familyStartedAt,
                       String dpopJkt, Long authTime, String acr, String amr) {

        static Row of(ResultSet rs) throws SQLException {
            return new Row(rs.getString("hash"), rs.getString("family_id"), rs.getString("client_id"), rs.getString("subject"),
                    rs.getString("scopes"), rs.getLong("issued_at"), rs.getLong("expires_at"), rs.getString("state"),
                    Jdbc.longOrNull(rs, "rotated_at"), rs.getString("sealed_successor"), rs.getString("audiences"),
                    Jdbc.longOrNull(rs, "family_started_at"), rs.getString("dpop_jkt"),
                    Jdbc.longOrNull(rs, "auth_time"), rs.getString("acr"), rs.getString("amr"));
        }

        RefreshTokenRecord toRecord(Map<String, String> claims) {
            return new RefreshTokenRecord(hash, familyId, clientId, subject, JdbcClientStore.split(scopes), claims,
                    Instant.ofEpochMilli(issuedAt), Instant.ofEpochMilli(expiresAt), State.valueOf(state),
                    rotatedAt == null ? null : Instant.ofEpochMilli(rotatedAt),
                    sealed == null ? null : Base64.getDecoder().decode(sealed), JdbcClientStore.list(audiences),
                    familyStartedAt == null ? null : Instant.ofEpochMilli(familyStartedAt), dpopJkt,
                    authTime == null ? null : Instant.ofEpochMilli(authTime), SignInContext.stored(acr, amr));
        }
    }
}
