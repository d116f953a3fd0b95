package dev.oauthlet;

import dev.oauthlet.audit.Actor;
import dev.oauthlet.audit.AuditEvent;
import dev.oauthlet.audit.AuditEvent.Type;
import dev.oauthlet.audit.AuditTrail;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.user.UserAccount;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration file is the source of truth for the clients and users it declares: at start
 * they are saved, and those an earlier version of the file declared but this one no longer does are
 * deleted with their refresh tokens revoked. Records created otherwise (the administration API,
 * dynamic registration) are never touched.
 */
final class DeclaredPrincipals {

    private static final Logger LOG = LoggerFactory.getLogger(DeclaredPrincipals.class);

    private DeclaredPrincipals() {
    }

    /**
     * Saves the file's clients and users and deletes those it no longer declares; each record the file adds or removes is an audit event by {@link Actor#FILE}
     * ({@code client_added}, {@code client_removed} with {@code refresh_tokens_revoked}, and the same
     * for users). Records it only saves again, changed or not, are not: every start saves them all.
     */
    static void reconcile(OauthletConfig config, Storage store, AuditTrail audit, java.time.Clock clock) {
        reconcile("client", config.clients(), ClientRegistration::id, ClientRegistration::declaredInFile, store.clients()::save,
                store.clients().findAll(), store.refreshTokens()::revokeClient, store.clients()::delete,
                (type, id, details) -> audit.record(AuditEvent.client(type, clock.instant(), Actor.FILE, id, details)),
                Type.CLIENT_ADDED, Type.CLIENT_REMOVED);
        reconcile("user", config.users(), UserAccount::username, UserAccount::declaredInFile, store.users()::save,
                store.users().findAll(), store.refreshTokens()::revokeSubject, store.users()::delete,
                (type, id, details) -> audit.record(AuditEvent.user(type, clock.instant(), Actor.FILE, id, details)),
                Type.USER_ADDED, Type.USER_REMOVED);
    }

    private interface Events {
        void record(Type type, String id, Map<String, String> details);
    }

    private static <T> void reconcile(String kind, List<T> declared, Function<T, String> id, Predicate<T> fromFile, Consumer<T> save,
                                      List<T> stored, ToIntFunction<String> revoke, Predicate<String> delete, Events events,
                                      Type added, Type removed) {
        Set<String> before = new HashSet<>();
        for (T t : stored) {
            before.add(id.apply(t));
        }
        Set<String> ids = new HashSet<>();
        for (T t : declared) {
            save.accept(t);
            ids.add(id.apply(t));
            if (!before.contains(id.apply(t))) {
                events.record(added, id.apply(t), Map.of());
            }
        }
        for (T t : stored) {
            String key = id.apply(t);
            if (fromFile.test(t) && !ids.contains(key)) {
                // Revoke first: a crash in between leaves a record without tokens, never tokens of a deleted record.
                int revoked = revoke.applyAsInt(key);
                delete.test(key);
                LOG.info("{} '{}' is no longer in the configuration: deleted, {} refresh tokens revoked", kind, key, revoked);
                events.record(removed, key, Map.of("refresh_tokens_revoked", Integer.toString(revoked)));
            }
        }
    }
}
