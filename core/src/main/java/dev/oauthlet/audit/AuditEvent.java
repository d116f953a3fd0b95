package dev.oauthlet.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A security event. It names who and what — client ids, usernames, key ids, addresses, reasons —
 * and never a secret, password, token or code: no factory here takes one.
 *
 * @param type     what happened
 * @param at       when
 * @param actor    who did it, for changes; {@code null} for events a request caused
 * @param clientId the client concerned, or {@code null}
 * @param username the user concerned, or {@code null}
 * @param address  the caller's address, or {@code null}
 * @param details  further facts, e.g. {@code reason}, {@code kid}, {@code family}; never a credential
 */
public record AuditEvent(Type type, Instant at, Actor actor, String clientId, String username, String address,
                         Map<String, String> details) {

    /** Every kind of event, with the name the log line shows. */
    public enum Type {
        CLIENT_AUTHENTICATION_FAILED,
        USER_LOGIN_FAILED,
        /** A user signed in (login page or password grant): counted by the metrics, written to the log like the rest. */
        USER_LOGIN_SUCCEEDED,
        LOCKOUT_STARTED,
        REFRESH_REUSE_DETECTED,
        CODE_REPLAYED,
        TOKEN_REVOKED,
        KEY_ROTATED,
        CLIENT_ADDED,
        CLIENT_CHANGED,
        CLIENT_REMOVED,
        USER_ADDED,
        USER_CHANGED,
        USER_REMOVED;

        /** The name in log lines and metrics, e.g. {@code client_added}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public AuditEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        details = Map.copyOf(details);
    }

    /** A change to a client made by {@code actor}. */
    public static AuditEvent client(Type type, Instant at, Actor actor, String clientId, Map<String, String> details) {
        return new AuditEvent(type, at, actor, clientId, null, null, details);
    }

    /** A change to a user made by {@code actor}. */
    public static AuditEvent user(Type type, Instant at, Actor actor, String username, Map<String, String> details) {
        return new AuditEvent(type, at, actor, null, username, null, details);
    }

    /** Something a request caused, from {@code address}. */
    public static AuditEvent request(Type type, Instant at, String clientId, String username, String address, Map<String, String> details) {
        return new AuditEvent(type, at, null, clientId, username, address, details);
    }

    /** The event's facts in a stable order: type, actor, client, user, address, then the details sorted by name. */
    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("event", type.label());
        if (actor != null) {
            f.put("actor", actor.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (clientId != null) {
            f.put("client_id", clientId);
        }
        if (username != null) {
            f.put("username", username);
        }
        if (address != null) {
            f.put("address", address);
        }
        new java.util.TreeMap<>(details).forEach(f::put);
        return f;
    }
}
