package dev.oauthlet.admin;

import static dev.oauthlet.TestServers.basic;
import static dev.oauthlet.TestServers.server;
import static dev.oauthlet.TestServers.tokenWith;
import static dev.oauthlet.TestServers.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.audit.Actor;
import dev.oauthlet.audit.AuditEvent;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.Origin;
import dev.oauthlet.error.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The administration API on a server: its effects on token requests, its refusals, and the audit events it records. */
class AdministrationTest {

    private final MutableClock clock = new MutableClock();
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private final Oauthlet server = server("""
            audiences: [api, other]
            clients:
              - {id: declared, secret: declared-secret, grants: [client_credentials], audience: api}
            """, clock, b -> b.auditListener(events::add));
    private final Administration admin = server.administration(Actor.API);

    /** The start's own events (the file's client added, actor FILE) are not the test's. */
    @BeforeEach
    void forgetStartEvents() {
        events.clear();
    }

    @AfterEach
    void close() {
        server.close();
    }

    private void token(String id, String secret) {
        assertNotNull(tokenWith(server, basic(id, secret), "grant_type", "client_credentials").accessToken());
    }

    private void refused(String id, String secret) {
        assertRefused(ErrorCode.INVALID_CLIENT, () -> tokenWith(server, basic(id, secret), "grant_type", "client_credentials"));
    }

    @Test
    void addClientWhenConfidentialThenAGenerated256BitSecretWorksAndOnlyItsFastHashIsStored() {
        CreatedClient created = admin.addClient(new NewClient("reports", null, false, Set.of("client_credentials"), "api", List.of(),
                List.of(), null, null));

        assertEquals(43, created.secret().length());
        ClientRegistration stored = server.storage().clients().findById("reports").orElseThrow();
        assertEquals(Origin.ADMIN, stored.origin());
        assertEquals("api", stored.audience());
        assertTrue(stored.secretHash().startsWith("sha256$"));
        assertFalse(stored.toString().contains(created.secret()));
        assertFalse(created.toString().contains(created.secret()));
        token("reports", created.secret());
    }

    /** docs/operations.md shows this method's body between the markers, exactly. */
    @Test
    void operationsDocSnippetWhenRunThenAddsRotatesAndRemoves() throws Exception {
        try (Oauthlet oauthlet = server("audiences: [api]\n", clock)) {
        // snippet-start
        Administration admin = oauthlet.administration(Actor.API);
        CreatedClient created = admin.addClient(NewClient.confidential("reports", Set.of("client_credentials")));
        String secret = created.secret();                       // shown once; only its hash is stored
        String next = admin.rotateSecret("reports", Duration.ofHours(24));
        admin.removeClient("reports");                          // revokes its refresh tokens
        // snippet-end
        assertRefused(ErrorCode.INVALID_CLIENT, () -> tokenWith(oauthlet, basic("reports", next), "grant_type", "client_credentials"));
        assertNotNull(secret);
        }
        String source = java.nio.file.Files.readString(java.nio.file.Path.of("src/test/java/dev/oauthlet/admin/AdministrationTest.java"));
        String snippet = source.substring(source.indexOf("// snippet-start\n") + 17, source.indexOf("        // snippet-end"))
                .replace("\n        ", "\n").strip();
        assertTrue(java.nio.file.Files.readString(java.nio.file.Path.of("../docs/operations.md")).contains("```java\n" + snippet + "\n```"),
                "docs/operations.md shows:\n" + snippet);
    }

    @Test
    void rotateSecretWhenOverlapThenBothWorkUntilItEndsThenOnlyTheNewOne() {
        String first = admin.addClient(new NewClient("reports", null, false, Set.of("client_credentials"), "api", List.of(), List.of(), null, null)).secret();

        String second = admin.rotateSecret("reports", Duration.ofHours(24));
        token("reports", first);
        token("reports", second);
        clock.advance(Duration.ofHours(24));
        refused("reports", first);
        token("reports", second);
        assertEquals(1, server.storage().clients().findById("reports").orElseThrow().secretsValidAt(clock.instant()).size());
    }

    @Test
    void removeClientWhenAddedThenRefusedAndAuditedWithTheActor() {
        String secret = admin.addClient(new NewClient("reports", null, false, Set.of("client_credentials"), "api", List.of(), List.of(), null, null)).secret();
        admin.removeClient("reports");

        refused("reports", secret);
        List<String> lines = events.stream().map(e -> e.type().label() + " " + e.actor() + " " + e.clientId()).toList();
        assertEquals(List.of("client_added API reports", "client_removed API reports", "client_authentication_failed null reports"), lines);
        assertEquals(Map.of("refresh_tokens_revoked", "0"), events.get(1).details());
    }

    @Test
    void changesWhenDeclaredInTheFileThenRefusedAndTheClientKeepsWorking() {
        AdminException e = assertThrows(AdminException.class, () -> admin.removeClient("declared"));
        assertEquals(AdminException.Reason.DECLARED_IN_FILE, e.reason());
        assertEquals(AdminException.Reason.DECLARED_IN_FILE, assertThrows(AdminException.class,
                () -> admin.rotateSecret("declared", Duration.ZERO)).reason());
        token("declared", "declared-secret");
        assertTrue(events.isEmpty());
    }

    @Test
    void addClientWhenInvalidThenRefusedNamingTheFix() {
        assertEquals("unknown grant 'client_credential' (known: authorization_code, client_credentials, password, refresh_token)",
                assertThrows(AdminException.class, () -> admin.addClient(new NewClient("x", null, false, Set.of("client_credential"),
                        "api", List.of(), List.of(), null, null))).getMessage());
        assertEquals("unknown audience 'nope' (known: api, other)", assertThrows(AdminException.class,
                () -> admin.addClient(new NewClient("x", null, false, Set.of("client_credentials"), "nope", List.of(), List.of(), null, null)))
                .getMessage());
        assertEquals("a client with the authorization_code grant needs at least one redirect URI", assertThrows(AdminException.class,
                () -> admin.addClient(new NewClient("x", null, true, Set.of("authorization_code"), "api", List.of(), List.of(), null, null)))
                .getMessage());
        assertEquals(AdminException.Reason.ALREADY_EXISTS, assertThrows(AdminException.class,
                () -> admin.addClient(new NewClient("declared", null, false, Set.of("client_credentials"), "api", List.of(), List.of(), null,
                        null))).reason());
        assertTrue(server.storage().clients().findById("x").isEmpty());
    }

    @Test
    void addClientWhenPublicThenNoSecret() {
        CreatedClient spa = admin.addClient(new NewClient("spa", "Shop", true, Set.of("authorization_code"), "other", List.of("a"),
                List.of("https://spa.example/cb"), null, null));
        assertNull(spa.secret());
        assertTrue(spa.client().publicClient());
        assertEquals(AdminException.Reason.INVALID, assertThrows(AdminException.class, () -> admin.rotateSecret("spa", Duration.ZERO)).reason());
    }

    @Test
    void rotateKeyWhenCalledThenTheNewKeySignsAndTheOldOneIsRetired() {
        String before = server.keys().current().kid();
        clock.advance(Duration.ofMinutes(1));
        String kid = admin.rotateKey();

        assertEquals(kid, server.keys().current().kid());
        List<KeyInfo> keys = admin.keys();
        assertEquals(List.of(kid, before), keys.stream().map(KeyInfo::kid).toList());
        assertEquals(List.of(KeyInfo.State.ACTIVE, KeyInfo.State.RETIRED), keys.stream().map(KeyInfo::state).toList());
        assertEquals(Map.of("kid", kid), events.get(0).details());
    }
}
