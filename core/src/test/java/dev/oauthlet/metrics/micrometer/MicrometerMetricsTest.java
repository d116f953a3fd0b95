package dev.oauthlet.metrics.micrometer;

import static dev.oauthlet.TestServers.assertRefused;
import static dev.oauthlet.TestServers.basic;
import static dev.oauthlet.TestServers.tokenWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.MutableClock;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.TestServers;
import dev.oauthlet.audit.Actor;
import dev.oauthlet.audit.AuditEvent;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.metrics.OauthletMetrics;
import dev.oauthlet.metrics.ResourceMetrics;
import dev.oauthlet.protocol.TokenResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MicrometerMetricsTest {

    private static final String YAML = """
            audiences: [api]
            clients:
              - id: reporter
                secret: reporter-secret
                grants: [client_credentials]
                audience: api
              - id: shop
                secret: shop-secret
                grants: [password, refresh_token]
                audience: api
            users:
              - username: alice
                password: alice-password
            authorization:
              login-failure-delay: 0s
            """;

    private final MeterRegistry registry = new SimpleMeterRegistry();

    private Oauthlet server() {
        return TestServers.server(YAML, new MutableClock(Instant.parse("2026-12-01T10:00:00Z")),
                b -> b.metrics(MicrometerMetrics.of(registry)));
    }

    private double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private long timed(String grant, String outcome) {
        return registry.get("oauthlet.token.requests").tags("grant", grant, "outcome", outcome).timer().count();
    }

    @Test
    void tokenWhenIssuedThroughTheBuilderRegistryThenCountedByGrantAndClientAndTimed() {
        try (Oauthlet server = server()) {
            tokenWith(server, basic("reporter", "reporter-secret"), "grant_type", "client_credentials");
            tokenWith(server, basic("reporter", "reporter-secret"), "grant_type", "client_credentials");

            assertEquals(2, count("oauthlet.tokens.issued", "grant", "client_credentials", "client", "reporter"));
            assertEquals(2, timed("client_credentials", "issued"));
            assertEquals(0, timed("client_credentials", "refused"));
        }
    }

    @Test
    void tokenWhenRefusedThenErrorCodeCountedAndUnknownGrantTimedAsOther() {
        try (Oauthlet server = server()) {
            assertRefused(ErrorCode.INVALID_CLIENT, () -> tokenWith(server, basic("reporter", "wrong"), "grant_type", "client_credentials"));
            assertRefused(ErrorCode.UNSUPPORTED_GRANT_TYPE,
                    () -> tokenWith(server, basic("reporter", "reporter-secret"), "grant_type", "urn:made:up:" + System.nanoTime()));

            assertEquals(1, count("oauthlet.token.errors", "error", "invalid_client"));
            assertEquals(1, count("oauthlet.token.errors", "error", "unsupported_grant_type"));
            assertEquals(0, count("oauthlet.token.errors", "error", "invalid_grant"), "every code is registered, at zero");
            assertEquals(1, timed("client_credentials", "refused"));
            assertEquals(1, timed(MicrometerMetrics.OTHER, "refused"));
            assertEquals(0, count("oauthlet.tokens.issued", "grant", "client_credentials", "client", "reporter"));
        }
    }

    @Test
    void refreshWhenTheTokenRotatesThenRotationCounted() {
        try (Oauthlet server = server()) {
            TokenResponse first = tokenWith(server, basic("shop", "shop-secret"), "grant_type", "password", "username", "alice",
                    "password", "alice-password");
            tokenWith(server, basic("shop", "shop-secret"), "grant_type", "refresh_token", "refresh_token", first.refreshToken());

            assertEquals(1, count("oauthlet.refresh.rotations"));
            assertEquals(1, count("oauthlet.tokens.issued", "grant", "password", "client", "shop"));
            assertEquals(1, count("oauthlet.tokens.issued", "grant", "refresh_token", "client", "shop"));
        }
    }

    @Test
    void clientTagWhenMoreClientsThanTheBoundThenTheRestShareOther() {
        OauthletMetrics m = MicrometerMetrics.of(registry).forServer(Set.of("client_credentials"), Set.of("declared"), 2);
        for (String client : new String[]{"registered-1", "registered-2", "registered-3", "registered-4", "declared", "registered-1"}) {
            m.tokenIssued("client_credentials", client, 1_000);
        }

        assertEquals(1, count("oauthlet.tokens.issued", "client", "declared"));
        assertEquals(2, count("oauthlet.tokens.issued", "client", "registered-1"));
        assertEquals(1, count("oauthlet.tokens.issued", "client", "registered-2"));
        assertEquals(2, count("oauthlet.tokens.issued", "client", MicrometerMetrics.OTHER));
        assertNull(registry.find("oauthlet.tokens.issued").tags("client", "registered-3").counter());
        assertEquals(4, registry.find("oauthlet.tokens.issued").counters().size(), "declared, two others, other");
    }

    @Test
    void grantTagWhenNotOneOfTheServersThenOther() {
        OauthletMetrics m = MicrometerMetrics.of(registry).forServer(Set.of("client_credentials"), Set.of("declared"), 2);
        m.tokenIssued("urn:custom", "declared", 1_000);

        assertEquals(1, count("oauthlet.tokens.issued", "client", "declared", "grant", MicrometerMetrics.OTHER));
        assertEquals(1, timed(MicrometerMetrics.OTHER, "issued"));
    }

    @Test
    void onEventWhenSecurityEventsArriveThenEachHasItsCounter() {
        OauthletMetrics m = MicrometerMetrics.of(registry).forServer(Set.of(), Set.of(), 0);
        Instant now = Instant.now();
        m.onEvent(AuditEvent.request(AuditEvent.Type.USER_LOGIN_FAILED, now, null, "alice", "10.0.0.1", Map.of()));
        m.onEvent(AuditEvent.request(AuditEvent.Type.USER_LOGIN_SUCCEEDED, now, null, "alice", "10.0.0.1", Map.of()));
        m.onEvent(AuditEvent.request(AuditEvent.Type.LOCKOUT_STARTED, now, null, "alice", "10.0.0.1", Map.of()));
        m.onEvent(AuditEvent.request(AuditEvent.Type.LOCKOUT_STARTED, now, "shop", null, "10.0.0.1", Map.of()));
        m.onEvent(AuditEvent.request(AuditEvent.Type.CLIENT_AUTHENTICATION_FAILED, now, "shop", null, "10.0.0.1", Map.of()));
        m.onEvent(AuditEvent.request(AuditEvent.Type.REFRESH_REUSE_DETECTED, now, "shop", "alice", null, Map.of("family", "f1")));
        m.onEvent(AuditEvent.request(AuditEvent.Type.CODE_REPLAYED, now, "shop", "alice", null, Map.of("family", "f2")));
        m.onEvent(AuditEvent.request(AuditEvent.Type.TOKEN_REVOKED, now, "shop", "alice", null, Map.of("token_type", "refresh_token")));
        m.onEvent(AuditEvent.request(AuditEvent.Type.TOKEN_REVOKED, now, "shop", "alice", null, Map.of("token_type", "access_token")));
        m.onEvent(AuditEvent.client(AuditEvent.Type.CLIENT_ADDED, now, Actor.CLI, "reports", Map.of()));

        assertEquals(1, count("oauthlet.logins", "outcome", "failure"));
        assertEquals(1, count("oauthlet.logins", "outcome", "success"));
        assertEquals(1, count("oauthlet.lockouts", "kind", "user"));
        assertEquals(1, count("oauthlet.lockouts", "kind", "client"));
        assertEquals(1, count("oauthlet.client.authentication.failures"));
        assertEquals(1, count("oauthlet.refresh.reuse.detected"));
        assertEquals(1, count("oauthlet.refresh.families.revoked", "reason", "reuse"));
        assertEquals(1, count("oauthlet.refresh.families.revoked", "reason", "code_replay"));
        assertEquals(1, count("oauthlet.refresh.families.revoked", "reason", "revocation"), "an access token's revocation is no family");
    }

    @Test
    void resourceWhenRequestsArriveThenEveryOneCountedHitsDerivedAndASampleTimed() {
        ResourceMetrics r = MicrometerMetrics.of(registry).resource("back-office");
        assertTrue(registry.find("oauthlet.bearer.cache").meters().isEmpty(), "no cache meters before a cache's first lookup");
        r.cacheMiss();
        for (int i = 0; i < 1600; i++) {
            r.accepted(r.start());
        }
        r.cacheMiss();
        r.refused("bad_signature", r.start());
        r.refused(ResourceMetrics.NO_TOKEN, r.start());
        r.refused("something new", r.start());

        assertEquals(1600, count("oauthlet.bearer.accepted", "resource", "back-office"));
        assertEquals(1, count("oauthlet.bearer.refused", "resource", "back-office", "reason", "no_token"));
        assertEquals(1, count("oauthlet.bearer.refused", "resource", "back-office", "reason", "bad_signature"));
        assertEquals(1, count("oauthlet.bearer.refused", "resource", "back-office", "reason", MicrometerMetrics.OTHER));
        assertEquals(0, count("oauthlet.bearer.refused", "resource", "back-office", "reason", "expired"), "registered at start");
        assertEquals(2, count("oauthlet.bearer.cache", "resource", "back-office", "result", "miss"));
        assertEquals(1599, registry.get("oauthlet.bearer.cache").tags("resource", "back-office", "result", "hit").functionCounter().count(),
                "1,600 let through and 1 refused after the lookup, less 2 misses");
        long timed = registry.get("oauthlet.bearer.latency").tag("resource", "back-office").timer().count();
        // One in 64 of 1,603: 25 on average, with a standard deviation of about 5.
        assertTrue(timed > 3 && timed < 70, "timed " + timed);
    }
}
