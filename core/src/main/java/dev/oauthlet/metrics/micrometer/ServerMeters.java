package dev.oauthlet.metrics.micrometer;

import dev.oauthlet.audit.AuditEvent;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.metrics.OauthletMetrics;
import dev.oauthlet.metrics.ResourceMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one server, registered when the builder binds {@link MicrometerMetrics} to it:
 * every meter whose tags are known then (grant types, error codes, the configuration's clients);
 * a client seen for the first time registers its counter once. A request finds its meter in a map
 * built at start; nothing is allocated per request.
 */
final class ServerMeters implements OauthletMetrics {

    private static final String OTHER = MicrometerMetrics.OTHER;

    private final MeterRegistry registry;
    private final Map<String, GrantMeters> grants;
    private final GrantMeters otherGrant;
    private final Counter[] errors;
    private final ClientTags clients;
    private final Counter rotations;
    private final Counter reuse;
    private final Counter familiesRevokedForReuse;
    private final Counter familiesRevokedForCodeReplay;
    private final Counter familiesRevokedByRevocation;
    private final Counter userLockouts;
    private final Counter clientLockouts;
    private final Counter loginSuccesses;
    private final Counter loginFailures;
    private final Counter clientAuthenticationFailures;

    ServerMeters(MeterRegistry registry, Set<String> grantTypes, Set<String> declaredClients, int maxClientTags) {
        this.registry = registry;
        Map<String, GrantMeters> byGrant = new HashMap<>();
        for (String g : grantTypes) {
            byGrant.put(g, new GrantMeters(registry, g));
        }
        this.grants = Map.copyOf(byGrant);
        this.otherGrant = new GrantMeters(registry, OTHER);
        this.errors = new Counter[ErrorCode.values().length];
        for (ErrorCode e : ErrorCode.values()) {
            errors[e.ordinal()] = Counter.builder("oauthlet.token.errors").description("token requests refused, by RFC 6749 error code")
                    .tag("error", e.code()).register(registry);
        }
        this.clients = new ClientTags(declaredClients, maxClientTags);
        this.rotations = counter("oauthlet.refresh.rotations", "refresh_token grants answered with a new refresh token");
        this.reuse = counter("oauthlet.refresh.reuse.detected", "refresh tokens presented again after their successor was used");
        this.familiesRevokedForReuse = family("reuse");
        this.familiesRevokedForCodeReplay = family("code_replay");
        this.familiesRevokedByRevocation = family("revocation");
        this.userLockouts = lockout("user");
        this.clientLockouts = lockout("client");
        this.loginSuccesses = login("success");
        this.loginFailures = login("failure");
        this.clientAuthenticationFailures = counter("oauthlet.client.authentication.failures",
                "client authentications that failed at the token, revocation and introspection endpoints");
    }

    @Override
    public void tokenIssued(String grantType, String clientId, long nanos) {
        grant(grantType).issued.record(nanos, TimeUnit.NANOSECONDS);
        clients.meters(clientId).issued(grantType).increment();
    }

    @Override
    public void tokenRefused(String grantType, ErrorCode error, long nanos) {
        grant(grantType).refused.record(nanos, TimeUnit.NANOSECONDS);
        errors[error.ordinal()].increment();
    }

    @Override
    public void refreshRotated() {
        rotations.increment();
    }

    @Override
    public ResourceMetrics resource(String resource) {
        return new MicrometerResourceMetrics(registry, resource);
    }

    @Override
    public void onEvent(AuditEvent event) {
        switch (event.type()) {
            case USER_LOGIN_FAILED -> loginFailures.increment();
            case USER_LOGIN_SUCCEEDED -> loginSuccesses.increment();
            case CLIENT_AUTHENTICATION_FAILED -> clientAuthenticationFailures.increment();
            case LOCKOUT_STARTED -> (event.clientId() != null ? clientLockouts : userLockouts).increment();
            case REFRESH_REUSE_DETECTED -> {
                reuse.increment();
                familiesRevokedForReuse.increment();
            }
            case CODE_REPLAYED -> familiesRevokedForCodeReplay.increment();
            case TOKEN_REVOKED -> {
                if ("refresh_token".equals(event.details().get("token_type"))) {
                    familiesRevokedByRevocation.increment();
                }
            }
            default -> {
                // Changes to clients, users and keys are the audit log's, not a rate to watch.
            }
        }
    }

    private GrantMeters grant(String grantType) {
        GrantMeters m = grantType == null ? null : grants.get(grantType);
        return m != null ? m : otherGrant;
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    private Counter family(String reason) {
        return Counter.builder("oauthlet.refresh.families.revoked").description("refresh-token families revoked, by why")
                .tag("reason", reason).register(registry);
    }

    private Counter lockout(String kind) {
        return Counter.builder("oauthlet.lockouts").description("failure limits reached: further checks refused until the window ends")
                .tag("kind", kind).register(registry);
    }

    private Counter login(String outcome) {
        return Counter.builder("oauthlet.logins").description("user sign-ins (login page and password grant), by outcome")
                .tag("outcome", outcome).register(registry);
    }

    /** The timers of one grant type. */
    private static final class GrantMeters {
        final Timer issued;
        final Timer refused;

        GrantMeters(MeterRegistry registry, String grant) {
            issued = timer(registry, grant, "issued");
            refused = timer(registry, grant, "refused");
        }

        private static Timer timer(MeterRegistry registry, String grant, String outcome) {
            return Timer.builder("oauthlet.token.requests").description("token requests answered by the server, by grant type and outcome")
                    .tag("grant", grant).tag("outcome", outcome).register(registry);
        }
    }

    /** The client tag's bound: declared clients by id, then the first {@code max} others, then {@link #OTHER}. */
    private final class ClientTags {
        private final Set<String> declared;
        private final int max;
        private final Map<String, ClientMeters> byId = new ConcurrentHashMap<>();
        private final ClientMeters other = new ClientMeters(OTHER);
        private int others;

        ClientTags(Set<String> declared, int max) {
            this.declared = Set.copyOf(declared);
            this.max = max;
            for (String id : this.declared) {
                byId.put(id, new ClientMeters(id));
            }
        }

        ClientMeters meters(String clientId) {
            ClientMeters m = byId.get(clientId);
            return m != null ? m : admit(clientId);
        }

        private synchronized ClientMeters admit(String clientId) {
            ClientMeters m = byId.get(clientId);
            if (m != null) {
                return m;
            }
            if (others >= max) {
                return other;
            }
            others++;
            m = new ClientMeters(clientId);
            byId.put(clientId, m);
            return m;
        }
    }

    /** One client's issued-token counters, by grant type; a grant type outside the server's shares {@link #OTHER}. */
    private final class ClientMeters {
        private final String client;
        private final Map<String, Counter> byGrant = new ConcurrentHashMap<>();

        ClientMeters(String client) {
            this.client = client;
        }

        Counter issued(String grantType) {
            String g = grantType != null && grants.containsKey(grantType) ? grantType : OTHER;
            Counter c = byGrant.get(g);
            return c != null ? c : byGrant.computeIfAbsent(g, k -> Counter.builder("oauthlet.tokens.issued")
                    .description("access tokens issued, by grant type and client").tag("grant", k).tag("client", client).register(registry));
        }
    }
}
