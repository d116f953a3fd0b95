package dev.oauthlet.spi;

import dev.oauthlet.client.ClientRegistration;
import java.util.List;
import java.util.Optional;

/** Registered clients. */
public interface ClientStore {

    Optional<ClientRegistration> findById(String clientId);

    /** Every client, ordered by id. */
    List<ClientRegistration> findAll();

    /** Inserts or replaces the client with this id, its secrets and origin included. */
    void save(ClientRegistration client);

    /**
     * Removes the client with this id and its secrets. Its tokens are the caller's to revoke
     * ({@link RefreshTokenStore#revokeClient}).
     *
     * @return {@code true} if there was such a client
     */
    boolean delete(String clientId);
}
