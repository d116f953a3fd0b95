package dev.oauthlet.internal.jdbc;

import dev.oauthlet.spi.SigningKeyRecord;
import dev.oauthlet.spi.SigningKeyStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

final class JdbcKeyStore implements SigningKeyStore {

    private final Jdbc jdbc;

    JdbcKeyStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<SigningKeyRecord> findAll() {
        return jdbc.list("SELECT * FROM oauthlet_signing_key ORDER BY created_at DESC", rs -> {
            Long active = Jdbc.longOrNull(rs, "active_until");
            Long published = Jdbc.longOrNull(rs, "published_until");
            String pub = rs.getString("public_key");
            Long from = Jdbc.longOrNull(rs, "active_from");
            return new SigningKeyRecord(rs.getString("kid"), rs.getString("algorithm"),
                    Base64.getDecoder().decode(rs.getString("private_key")), pub == null ? null : Base64.getDecoder().decode(pub),
                    Instant.ofEpochMilli(rs.getLong("created_at")), active == null ? null : Instant.ofEpochMilli(active),
                    published == null ? null : Instant.ofEpochMilli(published), from == null ? null : Instant.ofEpochMilli(from),
                    rs.getString("kek_id"));
        });
    }

    /** Update, else insert: two nodes that create or retire a key at once must not fail. */
    @Override
    public void save(SigningKeyRecord k) {
        Object[] values = columns(k);
        jdbc.transactionRetryingConflicts(c -> {
            if (Jdbc.update(c, "UPDATE oauthlet_signing_key SET algorithm = ?, private_key = ?, public_key = ?, created_at = ?,"
                    + " active_until = ?, published_until = ?, active_from = ?, kek_id = ? WHERE kid = ?", values) == 0) {
                Jdbc.update(c, INSERT, values);
            }
            return null;
        });
    }

    private static final String INSERT = "INSERT INTO oauthlet_signing_key (algorithm, private_key, public_key, created_at,"
            + " active_until, published_until, active_from, kek_id, kid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** One plain insert: the unique index on active_from (and the primary key) lets one of racing nodes win. */
    @Override
    public boolean insertIfAbsent(SigningKeyRecord k) {
        return jdbc.auto(c -> {
            try {
                return Jdbc.update(c, INSERT, columns(k)) == 1;
            } catch (SQLException e) {
                if (Jdbc.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    private static Object[] columns(SigningKeyRecord k) {
        return new Object[] {k.algorithm(), Base64.getEncoder().encodeToString(k.privateKey()),
                k.publicKey() == null ? null : Base64.getEncoder().encodeToString(k.publicKey()), k.createdAt().toEpochMilli(),
                millis(k.activeUntil()), millis(k.publishedUntil()), millis(k.activeFrom()), k.keyEncryptionKeyId(), k.kid()};
    }

    /**
     * One transaction of conditional updates, in kid order so that two nodes resealing at once lock
     * rows in the same order. On PostgreSQL (read committed) the second waits for the first's row
     * lock, then re-reads the row, finds its kek_id changed, and updates nothing.
     */
    @Override
    public int reseal(List<Reseal> changes) {
        List<Reseal> ordered = changes.stream().sorted(java.util.Comparator.comparing(Reseal::kid)).toList();
        return jdbc.transactionRetryingConflicts(c -> {
            int changed = 0;
            for (Reseal r : ordered) {
                String sealed = Base64.getEncoder().encodeToString(r.privateKey());
                changed += r.expectedKekId() == null
                        ? Jdbc.update(c, "UPDATE oauthlet_signing_key SET private_key = ?, kek_id = ? WHERE kid = ? AND kek_id IS NULL",
                                sealed, r.kekId(), r.kid())
                        : Jdbc.update(c, "UPDATE oauthlet_signing_key SET private_key = ?, kek_id = ? WHERE kid = ? AND kek_id = ?",
                                sealed, r.kekId(), r.kid(), r.expectedKekId());
            }
            return changed;
        });
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    @Override
    public void delete(String kid) {
        jdbc.update("DELETE FROM oauthlet_signing_key WHERE kid = ?", kid);
    }
}
