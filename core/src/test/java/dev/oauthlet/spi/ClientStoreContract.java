package dev.oauthlet.spi;

import static dev.oauthlet.spi.TestStoreRecords.confidentialClient;
import static dev.oauthlet.spi.TestStoreRecords.publicClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.client.ClientRegistration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ClientStore}: what is saved comes back whole; saving an id again replaces it. */
abstract class ClientStoreContract {

    abstract Storage storage();

    private ClientStore clients() {
        return storage().clients();
    }

    @Test
    void findByIdWhenConfidentialClientSavedThenEverySettingComesBack() {
        ClientRegistration client = confidentialClient("app");
        clients().save(client);

        assertEquals(Optional.of(client), clients().findById("app"));
    }

    @Test
    void findByIdWhenPublicClientWithoutOptionalSettingsSavedThenComesBackWithoutThem() {
        ClientRegistration client = publicClient("spa");
        clients().save(client);

        assertEquals(Optional.of(client), clients().findById("spa"));
    }

    @Test
    void findByIdWhenUnknownThenEmpty() {
        clients().save(publicClient("spa"));

        assertTrue(clients().findById("other").isEmpty());
    }

    @Test
    void saveWhenIdExistsThenReplacesTheRegistration() {
        clients().save(confidentialClient("app"));
        ClientRegistration replacement = new ClientRegistration("app", "Renamed", null, true, Set.of("password"),
                "api://billing", Set.of("billing"), Set.of(), null, List.of(), false);

        clients().save(replacement);

        assertEquals(Optional.of(replacement), clients().findById("app"));
    }

    /** Every node saves the configured clients when it starts; nodes that start together must not fail. */
    @Test
    void saveWhenManyThreadsSaveOneIdAtOnceThenNoneFailsAndOneRegistrationRemains() throws Exception {
        ClientRegistration client = confidentialClient("app");

        Race.run(20, () -> {
            clients().save(client);
            return null;
        });

        assertEquals(Optional.of(client), clients().findById("app"));
    }
}
