package dev.oauthlet.storage.tck;

import static dev.oauthlet.storage.tck.StoreRecords.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.client.Origin;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.UserStore;
import dev.oauthlet.user.Tenant;
import dev.oauthlet.user.UserAccount;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link UserStore}: users come back with their tenants, in order, their claims and origin. */
interface UserStoreContract {

    Storage storage();

    private UserStore users() {
        return storage().users();
    }

    @Test
    default void findByUsernameWhenSavedThenTenantsAndClaimsComeBack() {
        UserAccount alice = user("alice", new Tenant("merchant", "m-42"), new Tenant("acquirer", "a-7"));
        users().save(alice);

        assertEquals(Optional.of(alice), users().findByUsername("alice"));
    }

    /**
     * A request naming only a tenant type gets the user's first tenant of that type, so the order
     * the tenants were declared in is part of what the store keeps.
     */
    @Test
    default void findByUsernameWhenTenantsDeclaredOutOfSortOrderThenTheirOrderIsKept() {
        UserAccount bob = user("bob", new Tenant("merchant", "zz-9"), new Tenant("merchant", "aa-1"),
                new Tenant("acquirer", "mm-5"));
        users().save(bob);

        assertEquals(bob.tenants(), users().findByUsername("bob").orElseThrow().tenants());
    }

    @Test
    default void findByUsernameWhenNoTenantsNorClaimsThenBothEmpty() {
        UserAccount carol = new UserAccount("carol", "pbkdf2-sha256$1000$c2FsdA$Y2Fyb2w", List.of(), Map.of());
        users().save(carol);

        assertEquals(Optional.of(carol), users().findByUsername("carol"));
    }

    @Test
    default void findBySubjectWhenSavedThenTheUserWithItsTypedUserinfoComesBack() {
        UserAccount alice = user("alice");
        users().save(alice);
        users().save(user("bob"));

        assertEquals(Optional.of(alice), users().findBySubject("sub-alice"));
        assertEquals(Boolean.TRUE, users().findBySubject("sub-alice").orElseThrow().userinfo().get("email_verified"));
        assertTrue(users().findBySubject("alice").isEmpty(), "the username is not the subject here");
    }

    @Test
    default void findBySubjectWhenNoSubjectGivenThenTheUsernameFindsTheUser() {
        UserAccount carol = new UserAccount("carol", "pbkdf2-sha256$1000$c2FsdA$Y2Fyb2w", List.of(), Map.of());
        users().save(carol);

        assertEquals(Optional.of(carol), users().findBySubject("carol"));
    }

    @Test
    default void findByUsernameWhenUnknownThenEmpty() {
        users().save(user("alice"));

        assertTrue(users().findByUsername("mallory").isEmpty());
    }

    @Test
    default void saveWhenUsernameExistsThenReplacesPasswordTenantsAndClaims() {
        users().save(user("alice", new Tenant("merchant", "m-42"), new Tenant("merchant", "m-43")));
        UserAccount replacement = new UserAccount("alice", "pbkdf2-sha256$1000$c2FsdA$bmV3", List.of(new Tenant("acquirer", "a-1")),
                Map.of("email", "alice@new.example"));

        users().save(replacement);

        assertEquals(Optional.of(replacement), users().findByUsername("alice"));
    }

    /** Every node saves the configured users when it starts; nodes that start together must not fail. */
    @Test
    default void saveWhenManyThreadsSaveOneUserAtOnceThenNoneFailsAndTheUserIsWhole() throws Exception {
        UserAccount alice = user("alice", new Tenant("merchant", "m-42"), new Tenant("acquirer", "a-7"));

        Race.run(20, () -> {
            users().save(alice);
            return null;
        });

        assertEquals(Optional.of(alice), users().findByUsername("alice"));
    }

    @Test
    default void saveWhenDeclaredInFileThenTheOriginComesBack() {
        UserAccount dana = new UserAccount("dana", "pbkdf2-sha256$1000$c2FsdA$ZGFuYQ", List.of(), Map.of(), Origin.FILE);
        users().save(dana);

        assertTrue(users().findByUsername("dana").orElseThrow().declaredInFile());
    }

    @Test
    default void findAllWhenSeveralSavedThenEachWholeOrderedByUsername() {
        UserAccount bob = user("bob", new Tenant("merchant", "zz-9"), new Tenant("merchant", "aa-1"));
        UserAccount alice = user("alice", new Tenant("acquirer", "a-7"));
        UserAccount carol = new UserAccount("carol", "pbkdf2-sha256$1000$c2FsdA$Y2Fyb2w", List.of(), Map.of(), Origin.FILE);
        users().save(bob);
        users().save(carol);
        users().save(alice);

        assertEquals(List.of(alice, bob, carol), users().findAll());
    }

    @Test
    default void deleteWhenSavedThenGoneWithTenantsAndClaimsAndTheOthersStay() {
        users().save(user("alice", new Tenant("merchant", "m-42")));
        users().save(user("bob"));

        assertTrue(users().delete("alice"));

        assertTrue(users().findByUsername("alice").isEmpty());
        assertEquals(List.of(user("bob")), users().findAll());
        UserAccount again = new UserAccount("alice", "pbkdf2-sha256$1000$c2FsdA$YWdhaW4", List.of(), Map.of());
        users().save(again);
        assertEquals(Optional.of(again), users().findByUsername("alice"));
    }

    @Test
    default void deleteUserWhenUnknownThenFalse() {
        users().save(user("alice"));

        assertFalse(users().delete("mallory"));
        assertTrue(users().findByUsername("alice").isPresent());
    }
}
