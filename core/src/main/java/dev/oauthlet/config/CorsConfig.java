package dev.oauthlet.config;

import java.util.List;
import java.util.Set;

/**
 * {@code cors:} — the browser origins (single-page and MCP clients) that may call the token, JWKS
 * and metadata endpoints and read protected-resource metadata. Without any, no CORS header is sent
 * and browsers keep other origins out, as before.
 *
 * @param allowedOrigins {@code allowed-origins}: exact origins, e.g. {@code https://app.example.com}
 */
public record CorsConfig(List<String> allowedOrigins) {

    private static final CorsConfig NONE = new CorsConfig(List.of());

    public CorsConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    public static CorsConfig none() {
        return NONE;
    }

    /** {@code true} when a request with this {@code Origin} header may read the answer. */
    public boolean allows(String origin) {
        return origin != null && Set.copyOf(allowedOrigins).contains(origin);
    }
}
