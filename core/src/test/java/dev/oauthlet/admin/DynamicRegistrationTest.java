package dev.oauthlet.admin;

import static dev.oauthlet.TestServers.basic;
import static dev.oauthlet.TestServers.server;
import static dev.oauthlet.TestServers.tokenWith;
import static dev.oauthlet.TestServers.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.audit.Actor;
import dev.oauthlet.audit.AuditEvent;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.Origin;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DynamicRegistration} on a server without HTTP: what is stored, the audit events, expiry, and who may reach a registration. */
class DynamicRegistrationTest {

    private static final String TOKEN = "an-initial-access-token-of-32-characters-or-more";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = new MutableClock();
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private final Oauthlet server = server("""
            audiences: [api]
            clients:
              - {id: declared, secret: declared-secret, grants: [client_credentials], audience: api}
            users:
              - {username: alice, password: alice-password}
            registration:
              initial-access-token: [%s]
              policy:
                grants: [client_credentials, password, refresh_token]
                scopes: [read]
                client-secret-lifetime: 30d
            """.formatted(TOKEN), clock, b -> b.auditListener(events::add));
    private final DynamicRegistration registration = server.registration().orElseThrow();

    /** The start's own events (the file's client added, actor FILE) are not the test's. */
    @BeforeEach
    void forgetStartEvents() {
        events.clear();
    }

    @AfterEach
    void close() {
        server.close();
    }

    private static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode register(String json) throws Exception {
        DynamicRegistration.Answer a = registration.register("Bearer " + TOKEN, body(json));
        assertEquals(201, a.status());
        return JSON.readTree(a.json());
    }

    @Test
    void registerWhenValidThenStoredWithRegistrationOriginHashesOnlyAndAnAuditEventByRegistration() throws Exception {
        JsonNode reg = register("{\"grant_types\": [\"client_credentials\"]}");
        String id = reg.get("client_id").asText();
        String secret = reg.get("client_secret").asText();
        String token = reg.get("registration_access_token").asText();

        ClientRegistration stored = server.storage().clients().findById(id).orElseThrow();
        assertEquals(Origin.REGISTRATION, stored.origin());
        assertEquals(SecretHasher.hashGenerated(secret), stored.secretHash(), "the fast hash of a 256-bit secret, not the secret");
        assertEquals(SecretHasher.hashGenerated(token), server.storage().clients().registrationTokenHash(id).orElseThrow());
        AuditEvent added = events.stream().filter(e -> e.type() == AuditEvent.Type.CLIENT_ADDED).findFirst().orElseThrow();
        assertEquals(Actor.REGISTRATION, added.actor());
        assertEquals(id, added.clientId());
        assertFalse(events.toString().contains(secret) || events.toString().contains(token), "no credential in an event");
        assertNotNull(tokenWith(server, basic(id, secret), "grant_type", "client_credentials").accessToken());
    }

    @Test
    void registerWhenPolicySetsASecretLifetimeThenTheSecretStopsWorkingThen() throws Exception {
        JsonNode reg = register("{\"grant_types\": [\"client_credentials\"]}");
        String id = reg.get("client_id").asText();
        String secret = reg.get("client_secret").asText();
        assertEquals(clock.instant().plus(Duration.ofDays(30)).getEpochSecond(), reg.get("client_secret_expires_at").asLong());

        clock.advance(Duration.ofDays(31));
        assertRefused(ErrorCode.INVALID_CLIENT, () -> tokenWith(server, basic(id, secret), "grant_type", "client_credentials"));
    }

    @Test
    void replaceAndDeleteWhenRegistrationTokenThenAuditedByRegistrationAndDeleteRevokesRefreshTokens() throws Exception {
        JsonNode reg = register("{\"grant_types\": [\"password\", \"refresh_token\"]}");
        String id = reg.get("client_id").asText();
        String bearer = "Bearer " + reg.get("registration_access_token").asText();
        String refresh = tokenWith(server, basic(id, reg.get("client_secret").asText()), "grant_type", "password", "username", "alice",
                "password", "alice-password").refreshToken();
        assertNotNull(refresh);

        registration.replace(id, "192.0.2.1", bearer, body("{\"client_id\": \"" + id + "\", \"client_name\": \"Renamed\","
                + " \"grant_types\": [\"password\", \"refresh_token\"]}"));
        assertEquals(204, registration.delete(id, "192.0.2.1", bearer).status());

        AuditEvent changed = events.stream().filter(e -> e.type() == AuditEvent.Type.CLIENT_CHANGED).findFirst().orElseThrow();
        AuditEvent removed = events.stream().filter(e -> e.type() == AuditEvent.Type.CLIENT_REMOVED).findFirst().orElseThrow();
        assertEquals(Actor.REGISTRATION, changed.actor());
        assertEquals(Actor.REGISTRATION, removed.actor());
        assertEquals("1", removed.details().get("refresh_tokens_revoked"));
        assertTrue(server.storage().clients().findById(id).isEmpty());
        assertTrue(server.storage().clients().registrationTokenHash(id).isEmpty());
    }

    @Test
    void readWhenWrongTokenOnAnotherClientOrAFileClientThenInvalidTokenAndTheFailureAudited() throws Exception {
        JsonNode a = register("{\"grant_types\": [\"client_credentials\"]}");
        JsonNode b = register("{\"grant_types\": [\"client_credentials\"]}");
        String tokenOfA = "Bearer " + a.get("registration_access_token").asText();
        // Even a file client that somehow got a registration token hash stays out of reach: only registered clients are.
        server.storage().clients().saveRegistrationTokenHash("declared", SecretHasher.hashGenerated(a.get("registration_access_token").asText()));

        for (String id : List.of(b.get("client_id").asText(), "declared", "nobody")) {
            OAuthException e = assertThrows(OAuthException.class, () -> registration.read(id, "192.0.2.1", tokenOfA));
            assertEquals(ErrorCode.INVALID_TOKEN, e.error(), id);
        }
        AuditEvent failed = events.stream().filter(e -> e.type() == AuditEvent.Type.CLIENT_AUTHENTICATION_FAILED).findFirst().orElseThrow();
        assertEquals(b.get("client_id").asText(), failed.clientId());
        assertEquals("192.0.2.1", failed.address());
        assertEquals(200, registration.read(a.get("client_id").asText(), "192.0.2.1", tokenOfA).status());
    }

    @Test
    void registerWhenInitialAccessTokenWrongOrMissingThenInvalidTokenAndNothingStored() {
        for (String authorization : new String[] {null, "Bearer " + TOKEN + "x", "Bearer ", "Basic " + TOKEN}) {
            OAuthException e = assertThrows(OAuthException.class,
                    () -> registration.register(authorization, body("{\"grant_types\": [\"client_credentials\"]}")));
            assertEquals(ErrorCode.INVALID_TOKEN, e.error(), String.valueOf(authorization));
        }
        assertEquals(1, server.storage().clients().findAll().size());
    }
}
