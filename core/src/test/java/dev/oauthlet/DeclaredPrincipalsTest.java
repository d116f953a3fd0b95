package dev.oauthlet;

import static dev.oauthlet.TestServers.basic;
import static dev.oauthlet.TestServers.params;
import static dev.oauthlet.TestServers.tokenWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.Origin;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.protocol.TokenManagementRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file is the source of truth for the clients and users it declares, across restarts on one H2 file. */
class DeclaredPrincipalsTest {

    private static void sleep(java.time.Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String client(String id) {
        return "  - {id: " + id + ", secret: " + id + "-secret, grants: [password, refresh_token]}\n";
    }

    private static String user(String name) {
        return "  - {username: " + name + ", password: " + name + "-password}\n";
    }

    private static Oauthlet server(Path db, boolean withLeaver, boolean withBob) {
        String yaml = "storage:\n  url: jdbc:h2:file:" + db + "\naudiences: [api]\nclients:\n" + client("keeper")
                + (withLeaver ? client("leaver") : "") + "users:\n" + user("alice") + (withBob ? user("bob") : "");
        return Oauthlet.builder().config(TestServers.config(yaml)).issuer(TestServers.ISSUER).build();
    }

    private static String refresh(Oauthlet server, String client, String user) {
        return tokenWith(server, basic(client, client + "-secret"), "grant_type", "password", "username", user,
                "password", user + "-password").refreshToken();
    }

    private static boolean active(Oauthlet server, String token) {
        return server.introspect(TokenManagementRequest.parse(params("token", token), basic("keeper", "keeper-secret"))).active();
    }

    @Test
    void buildWhenClientRemovedFromFileThenDeletedAndItsRefreshTokensRevoked(@TempDir Path dir) {
        Path db = dir.resolve("oauthlet");
        String leaverToken;
        String keeperToken;
        try (Oauthlet first = server(db, true, true)) {
            leaverToken = refresh(first, "leaver", "alice");
            keeperToken = refresh(first, "keeper", "alice");
            // Created through the administration side, not the file: no later start may remove it.
            ClientRegistration admin = first.storage().clients().findById("leaver").orElseThrow();
            first.storage().clients().save(new ClientRegistration("admin-made", null, admin.secretHash(), false, admin.grants(),
                    admin.audience(), admin.scopes(), admin.defaultScopes(), admin.tokens(), admin.redirectUris(), false)
                    .withOrigin(Origin.ADMIN));
        }
        try (Oauthlet second = server(db, false, true)) {
            List<String> ids = second.storage().clients().findAll().stream().map(ClientRegistration::id).toList();
            assertEquals(List.of("admin-made", "keeper"), ids);
            assertFalse(active(second, leaverToken), "the removed client's refresh token is revoked");
            assertTrue(active(second, keeperToken), "other clients' tokens are untouched");
            TestServers.assertRefused(ErrorCode.INVALID_CLIENT,
                    () -> tokenWith(second, basic("leaver", "leaver-secret"), "grant_type", "refresh_token", "refresh_token", leaverToken));
        }
    }

    /** docs/configuration.md's rolling deploy: two nodes on one store, the old one still running with the old file. */
    @Test
    void buildWhenANodeStartsWithTheNewFileThenANodeStillOnTheOldFileRefusesTheRemovedClientToo(@TempDir Path dir) {
        Path db = dir.resolve("oauthlet");
        String leaverToken;
        try (Oauthlet oldNode = server(db, true, true)) {
            leaverToken = refresh(oldNode, "leaver", "alice");
            try (Oauthlet newNode = server(db, false, true)) {
                // The old node had the client in its client cache; it reads it again after the cache's TTL.
                sleep(dev.oauthlet.internal.server.ClientCache.TTL.plusMillis(100));
                TestServers.assertRefused(ErrorCode.INVALID_CLIENT,
                        () -> tokenWith(oldNode, basic("leaver", "leaver-secret"), "grant_type", "refresh_token", "refresh_token", leaverToken));
                TestServers.assertRefused(ErrorCode.INVALID_CLIENT,
                        () -> tokenWith(newNode, basic("leaver", "leaver-secret"), "grant_type", "refresh_token", "refresh_token", leaverToken));
                assertTrue(newNode.storage().clients().findById("keeper").isPresent());
            }
        }
        // An old node restarted in between declares the client again, as a new one: what was revoked stays revoked.
        try (Oauthlet restartedOld = server(db, true, true)) {
            TestServers.assertRefused(ErrorCode.INVALID_GRANT, () -> tokenWith(restartedOld, basic("leaver", "leaver-secret"),
                    "grant_type", "refresh_token", "refresh_token", leaverToken));
        }
    }

    @Test
    void buildWhenUserRemovedFromFileThenDeletedAndTheirRefreshTokensRevoked(@TempDir Path dir) {
        Path db = dir.resolve("oauthlet");
        String bobToken;
        String aliceToken;
        try (Oauthlet first = server(db, false, true)) {
            bobToken = refresh(first, "keeper", "bob");
            aliceToken = refresh(first, "keeper", "alice");
        }
        try (Oauthlet second = server(db, false, false)) {
            assertTrue(second.storage().users().findByUsername("bob").isEmpty());
            assertFalse(active(second, bobToken));
            assertTrue(active(second, aliceToken));
            TestServers.assertRefused(ErrorCode.INVALID_GRANT,
                    () -> tokenWith(second, basic("keeper", "keeper-secret"), "grant_type", "refresh_token", "refresh_token", bobToken));
        }
    }

    @Test
    void buildWhenTheFileAddsAndRemovesClientsAndUsersThenEachIsAnAuditEventByFile(@TempDir Path dir) {
        Path db = dir.resolve("oauthlet");
        java.util.List<dev.oauthlet.audit.AuditEvent> first = new java.util.concurrent.CopyOnWriteArrayList<>();
        String yaml = "storage:\n  url: jdbc:h2:file:" + db + "\naudiences: [api]\nclients:\n" + client("keeper") + client("leaver")
                + "users:\n" + user("alice") + user("bob");
        Oauthlet.builder().config(TestServers.config(yaml)).issuer(TestServers.ISSUER).auditListener(first::add).build().close();
        assertEquals(List.of("client_added keeper", "client_added leaver", "user_added alice", "user_added bob"), summary(first));

        java.util.List<dev.oauthlet.audit.AuditEvent> second = new java.util.concurrent.CopyOnWriteArrayList<>();
        String fewer = "storage:\n  url: jdbc:h2:file:" + db + "\naudiences: [api]\nclients:\n" + client("keeper") + "users:\n" + user("alice");
        Oauthlet.builder().config(TestServers.config(fewer)).issuer(TestServers.ISSUER).auditListener(second::add).build().close();
        assertEquals(List.of("client_removed leaver", "user_removed bob"), summary(second), "what stays is saved again, not an event");
        dev.oauthlet.audit.AuditEvent removed = second.stream().filter(e -> e.type() == dev.oauthlet.audit.AuditEvent.Type.CLIENT_REMOVED)
                .findFirst().orElseThrow();
        assertEquals(dev.oauthlet.audit.Actor.FILE, removed.actor());
        assertEquals("0", removed.details().get("refresh_tokens_revoked"));
    }

    private static List<String> summary(List<dev.oauthlet.audit.AuditEvent> events) {
        return events.stream().filter(e -> e.type().label().startsWith("client_") || e.type().label().startsWith("user_"))
                .map(e -> e.type().label() + " " + (e.clientId() != null ? e.clientId() : e.username())).toList();
    }
}
