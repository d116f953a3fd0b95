package dev.oauthlet.internal.jdbc;

import dev.oauthlet.spi.AuthorizationCodeRecord;
import dev.oauthlet.spi.AuthorizationCodeStore;
import dev.oauthlet.user.SignInContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Authorization codes by hash; {@link #consume} is one conditional update, so one redemption wins. */
final class JdbcAuthorizationCodeStore implements AuthorizationCodeStore {

    private final Jdbc jdbc;

    JdbcAuthorizationCodeStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void save(AuthorizationCodeRecord code) {
        jdbc.transaction(c -> {
            Jdbc.update(c, "INSERT INTO oauthlet_authorization_code (hash, client_id, subject, redirect_uri, scopes, code_challenge,"
                            + " code_challenge_method, expires_at, used, family_id, audiences, dpop_jkt, auth_time, nonce, acr, amr)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    code.hash(), code.clientId(), code.subject(), code.redirectUri(), JdbcClientStore.join(code.scopes()),
                    code.codeChallenge(), code.codeChallengeMethod(), code.expiresAt().toEpochMilli(), false, code.familyId(),
                    String.join(" ", code.audiences()), code.dpopJkt(),
                    code.authTime() == null ? null : code.authTime().toEpochMilli(), code.nonce(), code.signIn().acr(),
                    code.signIn().amrText());
            for (Map.Entry<String, String> e : code.claims().entrySet()) {
                Jdbc.update(c, "INSERT INTO oauthlet_code_claim (code_hash, name, claim) VALUES (?, ?, ?)",
                        code.hash(), e.getKey(), e.getValue());
            }
            return null;
        });
    }

    @Override
    public Optional<Redemption> consume(String hash) {
        return jdbc.transaction(c -> {
            boolean first = Jdbc.update(c, "UPDATE oauthlet_authorization_code SET used = ? WHERE hash = ? AND used = ?",
                    true, hash, false) == 1;
            Map<String, String> claims = new LinkedHashMap<>();
            Jdbc.list(c, "SELECT name, claim FROM oauthlet_code_claim WHERE code_hash = ?",
                    rs -> claims.put(rs.getString(1), rs.getString(2)), hash);
            return Jdbc.one(c, "SELECT * FROM oauthlet_authorization_code WHERE hash = ?", rs -> new AuthorizationCodeRecord(
                    rs.getString("hash"), rs.getString("client_id"), rs.getString("subject"), rs.getString("redirect_uri"),
                    JdbcClientStore.split(rs.getString("scopes")), rs.getString("code_challenge"),
                    rs.getString("code_challenge_method"), claims, Instant.ofEpochMilli(rs.getLong("expires_at")),
                    rs.getString("family_id"), JdbcClientStore.list(rs.getString("audiences")), rs.getString("dpop_jkt"),
                    instantOrNull(Jdbc.longOrNull(rs, "auth_time")), rs.getString("nonce"),
                    SignInContext.stored(rs.getString("acr"), rs.getString("amr"))), hash)
                    .map(code -> new Redemption(code, first));
        });
    }

    private static Instant instantOrNull(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    @Override
    public void attachFamily(String hash, String familyId) {
        jdbc.update("UPDATE oauthlet_authorization_code SET family_id = ? WHERE hash = ?", familyId, hash);
    }

    @Override
    public int purgeExpired(Instant now, int limit) {
        return jdbc.transaction(c -> {
            Object[] hashes = Jdbc.firstKeys(c, "oauthlet_authorization_code", "hash", "expires_at <= ?", "expires_at", limit,
                    now.toEpochMilli());
            Jdbc.deleteAll(c, "oauthlet_code_claim", "code_hash", hashes);
            return Jdbc.deleteAll(c, "oauthlet_authorization_code", "hash", hashes);
        });
    }
}
