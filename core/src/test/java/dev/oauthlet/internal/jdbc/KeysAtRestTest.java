package dev.oauthlet.internal.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.OauthletBuilder;
import dev.oauthlet.TestServers;
import dev.oauthlet.config.ConfigLoader;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.crypto.KeyEncryptionKey;
import dev.oauthlet.spi.StorageException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private signing keys at rest (docs/security.md#keys-at-rest), on a real H2 file and a real
 * PostgreSQL: what the columns hold, restarts with the right and the wrong key-encryption key, the
 * migration of a store written in plain, a KEK rotation, and rows changed behind the server's back.
 */
class KeysAtRestTest {

    private static final String KEK_A = randomKek();
    private static final String KEK_B = randomKek();

    @TempDir
    Path dir;

    private static String randomKek() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    private static String id(String kek) {
        return KeyEncryptionKey.parse(kek).id();
    }

    /** The configuration a server starts from: one client, ES256, and {@code signing} lines such as the KEK. */
    private static OauthletConfig config(StorageConfig storage, String... signingLines) {
        StringBuilder yaml = new StringBuilder("issuer: https://auth.test\nsigning:\n  algorithm: ES256\n");
        for (String line : signingLines) {
            yaml.append("  ").append(line).append('\n');
        }
        yaml.append("audiences: [api]\nclients:\n  - id: app\n    secret: app-secret\n    grants: [client_credentials]\n    audience: api\n");
        return new ConfigLoader(OauthletBuilder.discoverGrantTypes(KeysAtRestTest.class.getClassLoader()), TestServers.CHEAP)
                .load("oauthlet.yml", new ByteArrayInputStream(yaml.toString().getBytes(StandardCharsets.UTF_8))).withStorage(storage);
    }

    private static Oauthlet start(StorageConfig storage, String... signingLines) {
        return Oauthlet.builder().config(config(storage, signingLines)).build();
    }

    private static String token(Oauthlet server) {
        return TestServers.tokenWith(server, TestServers.basic("app", "app-secret"), "grant_type", "client_credentials").accessToken();
    }

    private StorageConfig h2File() {
        return StorageConfig.jdbc("jdbc:h2:file:" + dir.resolve("oauthlet").toAbsolutePath(), "", "");
    }

    private record Row(String kid, String algorithm, String privateKey, String kekId) {
    }

    /** A connection past the store; an H2 file with the setting the pool opens it with, so that both may share it. */
    private static Connection connect(StorageConfig storage) throws SQLException {
        String url = storage.url().startsWith("jdbc:h2:") ? storage.url() + ";DB_CLOSE_ON_EXIT=FALSE" : storage.url();
        return DriverManager.getConnection(url, storage.username(), storage.password());
    }

    /** The signing-key rows as the database holds them, read past the store. */
    private static List<Row> rows(StorageConfig storage) throws SQLException {
        try (Connection c = connect(storage)) {
            return Jdbc.list(c, "SELECT kid, algorithm, private_key, kek_id FROM oauthlet_signing_key ORDER BY kid",
                    rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        }
    }

    private static void sql(StorageConfig storage, String sql, Object... args) throws SQLException {
        try (Connection c = connect(storage)) {
            Jdbc.update(c, sql, args);
        }
    }

    /** {@code true} if any 16 consecutive bytes of {@code needle} occur in {@code haystack}. */
    private static boolean containsAnySlice(byte[] haystack, byte[] needle) {
        for (int i = 0; i + 16 <= needle.length; i++) {
            outer:
            for (int j = 0; j + 16 <= haystack.length; j++) {
                for (int k = 0; k < 16; k++) {
                    if (haystack[j + k] != needle[i + k]) {
                        continue outer;
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** What the server logs while {@code action} runs (slf4j-simple writes to System.err). */
    private static <T> String logged(Callable<T> action, List<T> result) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            result.add(action.call());
        } finally {
            System.setErr(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void startWhenKekConfiguredThenTheStoredPrivateKeyHoldsNoKeyMaterial() throws Exception {
        StorageConfig storage = h2File();
        byte[] pkcs8;
        try (Oauthlet server = start(storage, "key-encryption-key: " + KEK_A)) {
            pkcs8 = server.keys().current().signingKey().getEncoded();
        }

        List<Row> rows = rows(storage);
        assertEquals(1, rows.size());
        assertEquals(id(KEK_A), rows.get(0).kekId());
        byte[] stored = Base64.getDecoder().decode(rows.get(0).privateKey());
        assertFalse(containsAnySlice(stored, pkcs8), "the column must not hold any 16 bytes of the PKCS#8 key");
        assertEquals(1, stored[0], "the sealed format's version byte, not a DER SEQUENCE (0x30)");
        assertEquals(1 + 12 + pkcs8.length + 16, stored.length, "version, IV, ciphertext and GCM tag");
    }

    @Test
    void startWhenRestartedWithTheSameKekThenEarlierTokensStayValid() throws Exception {
        StorageConfig storage = h2File();
        String token;
        String kid;
        try (Oauthlet server = start(storage, "key-encryption-key: " + KEK_A)) {
            token = token(server);
            kid = server.keys().current().kid();
        }

        try (Oauthlet again = start(storage, "key-encryption-key: " + KEK_A)) {
            assertEquals("app", again.verifier().verify(token).clientId());
            assertEquals(kid, again.keys().current().kid(), "the same key signs: no new one was made");
            assertEquals("app", again.verifier().verify(token(again)).clientId());
        }
        assertEquals(1, rows(storage).size());
    }

    @Test
    void startWhenAnotherKekConfiguredThenOneLineNamingBothAndNothingWritten() throws Exception {
        StorageConfig storage = h2File();
        try (Oauthlet server = start(storage, "key-encryption-key: " + KEK_A)) {
            token(server);
        }
        List<Row> before = rows(storage);

        StorageException e = assertThrows(StorageException.class, () -> start(storage, "key-encryption-key: " + KEK_B));

        assertEquals("signing.key-encryption-key: the signing keys in the store were encrypted under key-encryption key " + id(KEK_A)
                + "; the configured one is " + id(KEK_B) + " (configure that key again, or to rotate give the new one as "
                + "signing.key-encryption-key and the old one under signing.previous-key-encryption-keys)", e.getMessage());
        assertNull(e.getCause(), "nothing below the line: no stack trace to print");
        assertFalse(e.getMessage().contains(KEK_A) || e.getMessage().contains(KEK_B), "never the keys themselves");
        assertEquals(before, rows(storage), "no new key, nothing re-encrypted");
    }

    @Test
    void startWhenKeysEncryptedButNoKekConfiguredThenRefusedInsteadOfANewKey() throws Exception {
        StorageConfig storage = h2File();
        start(storage, "key-encryption-key: " + KEK_A).close();

        StorageException e = assertThrows(StorageException.class, () -> start(storage));

        assertTrue(e.getMessage().startsWith("signing.key-encryption-key: the signing keys in the store were encrypted under "
                + "key-encryption key " + id(KEK_A) + "; none is configured (set signing.key-encryption-key to that key)"), e.getMessage());
        assertEquals(1, rows(storage).size());
    }

    @Test
    void startWhenStoreWrittenInPlainAndKekConfiguredThenEncryptedInPlaceOnceWithOneInfoLine() throws Exception {
        StorageConfig storage = h2File();
        String token;
        byte[] pkcs8;
        List<Oauthlet> started = new ArrayList<>();
        String withoutKek = logged(() -> start(storage), started);
        try (Oauthlet server = started.get(0)) {
            token = token(server);
            pkcs8 = server.keys().current().signingKey().getEncoded();
        }
        assertEquals(1, withoutKek.lines().filter(l -> l.contains("WARN") && l.contains("signing keys are stored unencrypted")).count(),
                withoutKek);
        Row plain = rows(storage).get(0);
        assertNull(plain.kekId());
        assertArrayEquals(pkcs8, Base64.getDecoder().decode(plain.privateKey()), "written in plain, as before a KEK existed");

        started.clear();
        String migrating = logged(() -> start(storage, "key-encryption-key: " + KEK_A), started);
        try (Oauthlet server = started.get(0)) {
            assertEquals("app", server.verifier().verify(token).clientId(), "the same key, now encrypted");
        }
        assertEquals(1, migrating.lines().filter(l -> l.contains("INFO")
                && l.contains("encrypted 1 signing key(s) in the store under key-encryption key " + id(KEK_A))).count(), migrating);
        assertFalse(migrating.contains(KEK_A), "the KEK is never logged");
        Row sealed = rows(storage).get(0);
        assertEquals(List.of(plain.kid(), id(KEK_A)), List.of(sealed.kid(), sealed.kekId()));
        assertFalse(containsAnySlice(Base64.getDecoder().decode(sealed.privateKey()), pkcs8));

        started.clear();
        String third = logged(() -> start(storage, "key-encryption-key: " + KEK_A), started);
        started.get(0).close();
        assertFalse(third.contains("encrypted"), "nothing left to encrypt: " + third);
        assertEquals(sealed, rows(storage).get(0), "idempotent: the row is not rewritten");
    }

    @Test
    void startWhenKekRotatedThenKeysReEncryptedUnderTheNewOneAndTheOldOneIsNoLongerNeeded() throws Exception {
        StorageConfig storage = h2File();
        String token;
        try (Oauthlet server = start(storage, "key-encryption-key: " + KEK_A)) {
            token = token(server);
        }

        start(storage, "key-encryption-key: " + KEK_B, "previous-key-encryption-keys: [" + KEK_A + "]").close();
        assertEquals(id(KEK_B), rows(storage).get(0).kekId());

        try (Oauthlet server = start(storage, "key-encryption-key: " + KEK_B)) {
            assertEquals("app", server.verifier().verify(token).clientId());
        }
        StorageException e = assertThrows(StorageException.class, () -> start(storage, "key-encryption-key: " + KEK_A));
        assertTrue(e.getMessage().contains("encrypted under key-encryption key " + id(KEK_B) + "; the configured one is " + id(KEK_A)),
                e.getMessage());
    }

    @Test
    void startWhenCiphertextTamperedThenRefusedNamingTheKey() throws Exception {
        StorageConfig storage = h2File();
        start(storage, "key-encryption-key: " + KEK_A).close();
        Row row = rows(storage).get(0);
        byte[] sealed = Base64.getDecoder().decode(row.privateKey());
        sealed[sealed.length / 2] ^= 1;
        sql(storage, "UPDATE oauthlet_signing_key SET private_key = ? WHERE kid = ?", Base64.getEncoder().encodeToString(sealed), row.kid());

        StorageException e = assertThrows(StorageException.class, () -> start(storage, "key-encryption-key: " + KEK_A));

        assertEquals("signing.key-encryption-key: the signing key " + row.kid() + " in the store does not decrypt under key-encryption key "
                + id(KEK_A) + ": its ciphertext, kid or algorithm was changed (restore the row from a backup, or delete it and let a new "
                + "key be made)", e.getMessage());
    }

    /** The kid and algorithm are associated data: a ciphertext moved to another row does not open there. */
    @Test
    void startWhenCiphertextMovedToAnotherRowThenRefused() throws Exception {
        StorageConfig storage = h2File();
        try (Oauthlet server = start(storage, "key-encryption-key: " + KEK_A)) {
            server.rotateSigningKey();
        }
        List<Row> rows = rows(storage);
        assertEquals(2, rows.size());
        sql(storage, "UPDATE oauthlet_signing_key SET private_key = ? WHERE kid = ?", rows.get(0).privateKey(), rows.get(1).kid());

        StorageException e = assertThrows(StorageException.class, () -> start(storage, "key-encryption-key: " + KEK_A));
        assertTrue(e.getMessage().startsWith("signing.key-encryption-key: the signing key " + rows.get(1).kid() + " in the store does not "
                + "decrypt"), e.getMessage());
    }

    @Test
    void startWhenAlgorithmColumnChangedThenRefused() throws Exception {
        StorageConfig storage = h2File();
        start(storage, "key-encryption-key: " + KEK_A).close();
        Row row = rows(storage).get(0);
        sql(storage, "UPDATE oauthlet_signing_key SET algorithm = 'RS256' WHERE kid = ?", row.kid());

        StorageException e = assertThrows(StorageException.class,
                () -> Oauthlet.builder().config(config(storage, "key-encryption-key: " + KEK_A)).build());
        assertTrue(e.getMessage().contains("the signing key " + row.kid() + " in the store does not decrypt"), e.getMessage());
    }

    /** Two nodes start at once on a PostgreSQL written in plain: both start, each key is encrypted once, both sign alike. */
    @Test
    void startWhenTwoNodesStartTogetherOnAPlainPostgresThenBothStartAndEveryKeyIsEncryptedOnce() throws Exception {
        StorageConfig storage = EmbeddedPostgresServer.newSchema();
        try (Oauthlet plain = start(storage)) {
            plain.rotateSigningKey();
        }
        assertEquals(List.of(true, true), rows(storage).stream().map(r -> r.kekId() == null).toList());

        List<Oauthlet> nodes = dev.oauthlet.spi.Race.run(2, () -> start(storage, "key-encryption-key: " + KEK_A));
        try (Oauthlet a = nodes.get(0); Oauthlet b = nodes.get(1)) {
            assertEquals(List.of(id(KEK_A), id(KEK_A)), rows(storage).stream().map(Row::kekId).toList());
            assertEquals(a.keys().current().kid(), b.keys().current().kid());
            assertEquals("app", b.verifier().verify(token(a)).clientId());
            assertEquals("app", a.verifier().verify(token(b)).clientId());
        }
    }

    /**
     * A rolling KEK rotation: a node still on the old KEK keeps signing and verifying after another
     * node has re-encrypted the keys under the new one, because it keeps the keys it opened by kid.
     */
    @Test
    void reloadWhenAnotherNodeReEncryptedUnderANewKekThenANodeOnTheOldOneKeepsServing() throws Exception {
        StorageConfig storage = EmbeddedPostgresServer.newSchema();
        try (Oauthlet old = start(storage, "key-encryption-key: " + KEK_A)) {
            String before = token(old);
            try (Oauthlet rolled = start(storage, "key-encryption-key: " + KEK_B, "previous-key-encryption-keys: [" + KEK_A + "]")) {
                assertEquals(List.of(id(KEK_B)), rows(storage).stream().map(Row::kekId).toList());

                ((dev.oauthlet.key.KeyManager) old.keys()).reload();

                assertEquals(rolled.keys().current().kid(), old.keys().current().kid());
                assertEquals("app", rolled.verifier().verify(token(old)).clientId());
                assertEquals("app", old.verifier().verify(token(rolled)).clientId());
                assertEquals("app", rolled.verifier().verify(before).clientId());
            }
        }
    }
}
