package dev.oauthlet.spi;

import dev.oauthlet.client.ClientRegistration;
import java.util.Optional;

/** Registered clients. */
public interface ClientStore {

    Optional<ClientRegistration> findById(String clientId);

    /** Inserts or replaces the client with this id. */
    void save(ClientRegistration client);
}
