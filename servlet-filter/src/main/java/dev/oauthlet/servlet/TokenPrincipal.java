package dev.oauthlet.servlet;

import dev.oauthlet.token.AccessToken;
import java.security.Principal;
import java.util.Objects;

/**
 * The principal of a request the {@link BearerTokenFilter} let through: its name is the token's
 * {@code sub}, and it carries the whole verified token.
 */
public record TokenPrincipal(AccessToken token) implements Principal {

    public TokenPrincipal {
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String getName() {
        return token.subject();
    }
}
