package dev.oauthlet.config;

import java.util.Objects;
import java.util.Set;

/**
 * One entry of {@code endpoints.token:} — a path that serves the token endpoint.
 *
 * @param path    the servlet path, e.g. {@code /oauth/token}
 * @param formats the request encodings it accepts
 */
public record TokenEndpointConfig(String path, Set<RequestFormat> formats) {

    public TokenEndpointConfig {
        Objects.requireNonNull(path, "path");
        formats = Set.copyOf(formats);
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("no formats");
        }
    }

    /** A request encoding. */
    public enum RequestFormat {
        /** {@code application/x-www-form-urlencoded} POST (RFC 6749's). */
        FORM,
        /** {@code application/json} (or {@code application/vnd.api+json}) POST with the same parameter names. */
        JSON,
        /** GET with query parameters; puts secrets in access logs, so off unless configured. */
        QUERY;

        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
