package dev.oauthlet.audit;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands each event to every listener; one that throws is logged and the others still run. */
public final class AuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    /** No listeners: for tools and tests that want no trail. */
    public static final AuditTrail NONE = new AuditTrail(List.of());

    private final List<AuditListener> listeners;

    public AuditTrail(List<AuditListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    public void record(AuditEvent event) {
        for (AuditListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("audit listener {} failed on {}: {}", l.getClass().getName(), event.type().label(), e.toString());
            }
        }
    }
}
