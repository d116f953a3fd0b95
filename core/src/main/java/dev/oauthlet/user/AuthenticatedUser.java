package dev.oauthlet.user;

import java.util.Map;
import java.util.Objects;

/**
 * A user whose credentials checked out.
 *
 * @param subject the {@code sub} of the user's tokens
 * @param claims  claims to put into the user's access tokens, kept with the refresh token so a refresh issues them again
 */
public record AuthenticatedUser(String subject, Map<String, String> claims) {
    public AuthenticatedUser {
        Objects.requireNonNull(subject, "subject");
        claims = Map.copyOf(claims);
    }
}
