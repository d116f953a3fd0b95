package dev.oauthlet.audit;

/**
 * Receives security events: failed authentications, lockouts, refresh-token reuse, code replay,
 * revocations, key rotations, and every change to clients and users. Found through
 * {@link java.util.ServiceLoader} and given to the builder ({@code Oauthlet.builder().auditListener(...)});
 * every listener found or given receives every event. Without any, {@link LogAuditListener}
 * writes them to the log.
 *
 * <p>Called on the thread that caused the event, so keep it quick; an exception it throws is
 * logged and does not change the outcome of the request.
 */
@FunctionalInterface
public interface AuditListener {

    void onEvent(AuditEvent event);
}
