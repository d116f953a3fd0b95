package dev.oauthlet.storage.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.oauthlet.spi.ConsentStore;
import dev.oauthlet.spi.Storage;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ConsentStore}: one scope set per user and client. */
interface ConsentStoreContract {

    Storage storage();

    private ConsentStore consents() {
        return storage().consents();
    }

    @Test
    default void findWhenNothingSavedThenEmptySet() {
        assertEquals(Set.of(), consents().find("alice", "app"));
    }

    @Test
    default void findWhenSavedThenTheScopesOfThatUserAndClientOnly() {
        consents().save("alice", "app", Set.of("openid", "orders.read"));
        consents().save("alice", "other", Set.of("billing"));
        consents().save("bob", "app", Set.of("openid"));

        assertEquals(Set.of("openid", "orders.read"), consents().find("alice", "app"));
        assertEquals(Set.of("billing"), consents().find("alice", "other"));
        assertEquals(Set.of("openid"), consents().find("bob", "app"));
    }

    @Test
    default void saveWhenConsentExistsThenReplacesIt() {
        consents().save("alice", "app", Set.of("openid", "orders.read"));

        consents().save("alice", "app", Set.of("orders.write"));

        assertEquals(Set.of("orders.write"), consents().find("alice", "app"));
    }

    @Test
    default void revokeWhenConsentExistsThenOnlyThatConsentIsGone() {
        consents().save("alice", "app", Set.of("openid"));
        consents().save("alice", "other", Set.of("billing"));

        consents().revoke("alice", "app");

        assertEquals(Set.of(), consents().find("alice", "app"));
        assertEquals(Set.of("billing"), consents().find("alice", "other"));
    }
}
