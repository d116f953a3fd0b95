package dev.oauthlet.internal.jdbc;

import dev.oauthlet.spi.SigningKeyRecord;
import dev.oauthlet.spi.SigningKeyStore;
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
            return new SigningKeyRecord(rs.getString("kid"), rs.getString("algorithm"),
                    Base64.getDecoder().decode(rs.getString("private_key")), pub == null ? null : Base64.getDecoder().decode(pub),
                    Instant.ofEpochMilli(rs.getLong("created_at")), active == null ? null : Instant.ofEpochMilli(active),
                    published == null ? null : Instant.ofEpochMilli(published));
        });
    }

    /** Update, else insert: two nodes that create or retire a key at once must not fail. */
    @Override
    public void save(SigningKeyRecord k) {
        Object[] values = {k.algorithm(), Base64.getEncoder().encodeToString(k.privateKey()),
                k.publicKey() == null ? null : Base64.getEncoder().encodeToString(k.publicKey()), k.createdAt().toEpochMilli(),
                k.activeUntil() == null ? null : k.activeUntil().toEpochMilli(),
                k.publishedUntil() == null ? null : k.publishedUntil().toEpochMilli(), k.kid()};
        jdbc.transactionRetryingConflicts(c -> {
            if (Jdbc.update(c, "UPDATE oauthlet_signing_key SET algorithm = ?, private_key = ?, public_key = ?, created_at = ?,"
                    + " active_until = ?, published_until = ? WHERE kid = ?", values) == 0) {
                Jdbc.update(c, "INSERT INTO oauthlet_signing_key (algorithm, private_key, public_key, created_at, active_until,"
                        + " published_until, kid) VALUES (?, ?, ?, ?, ?, ?, ?)", values);
            }
            return null;
        });
    }

    @Override
    public void delete(String kid) {
        jdbc.update("DELETE FROM oauthlet_signing_key WHERE kid = ?", kid);
    }
}
