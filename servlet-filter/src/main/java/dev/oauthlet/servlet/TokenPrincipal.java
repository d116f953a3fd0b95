package dev.oauthlet.servlet;

import dev.oauthlet.token.AccessToken;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /**
     * Every claim of the token: the registered ones ({@code iss}, {@code sub}, {@code aud},
     * {@code client_id}, {@code scope}, {@code jti}, {@code iat}, {@code exp} as epoch seconds)
     * and the rest as the token carried them.
     */
    public Map<String, Object> claims() {
        Map<String, Object> m = new LinkedHashMap<>(token.claims());
        m.put("iss", token.issuer());
        m.put("sub", token.subject());
        m.put("aud", token.audience());
        m.put("client_id", token.clientId());
        if (!token.scopes().isEmpty()) {
            m.put("scope", token.scopeString());
        }
        m.put("jti", token.jti());
        m.put("iat", token.issuedAt().getEpochSecond());
        m.put("exp", token.expiresAt().getEpochSecond());
        return java.util.Collections.unmodifiableMap(m);
    }
}
