package dev.oauthlet.admin;

import dev.oauthlet.client.ClientRegistration;

/**
 * A client just added, with its secret in plain text. This is the only time the secret exists
 * outside the client: the store keeps its hash. Show it once and drop it.
 *
 * @param client the stored client
 * @param secret the generated secret; {@code null} for a public client
 */
public record CreatedClient(ClientRegistration client, String secret) {

    @Override
    public String toString() {
        return "CreatedClient[" + client.id() + "]";
    }
}
