package dev.oauthlet.servlet;

import dev.oauthlet.token.AccessToken;
import java.security.Principal;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
        // The filter hands this to every request it lets through; most never read it, so build it on first use.
        return new LazyClaims(token);
    }

    private static Map<String, Object> build(AccessToken token) {
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

    /** An unmodifiable claims map that builds its contents on first read. */
    private static final class LazyClaims extends AbstractMap<String, Object> {
        private final AccessToken token;
        private Map<String, Object> built;

        LazyClaims(AccessToken token) {
            this.token = token;
        }

        private Map<String, Object> map() {
            // Unsynchronised on purpose: a race builds two equal maps, and the unmodifiable wrapper's final field
            // publishes a fully built one safely.
            Map<String, Object> m = built;
            if (m == null) {
                m = build(token);
                built = m;
            }
            return m;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return map().entrySet();
        }

        @Override
        public Object get(Object key) {
            return map().get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return map().containsKey(key);
        }

        @Override
        public int size() {
            return map().size();
        }
    }
}
