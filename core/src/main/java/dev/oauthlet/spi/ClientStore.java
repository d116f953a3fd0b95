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

    /**
     * The hash of the registration access token (RFC 7592) of a client that registered itself
     * (RFC 7591); empty for every other client and for an unknown id. {@link #delete} removes it
     * with the client, and {@link #save} leaves it as it is.
     *
     * @throws UnsupportedOperationException by a store that cannot serve dynamic client registration
     */
    default Optional<String> registrationTokenHash(String clientId) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no registration access tokens");
    }

    /**
     * Sets the registration access token's hash of an existing client.
     *
     * @return {@code false} when there is no such client
     * @throws UnsupportedOperationException by a store that cannot serve dynamic client registration
     */
    default boolean saveRegistrationTokenHash(String clientId, String hash) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no registration access tokens");
    }
}
