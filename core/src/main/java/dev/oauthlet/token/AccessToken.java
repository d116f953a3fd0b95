package dev.oauthlet.token;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The content of an access token: what is about to be signed, or what a verified token said.
 *
 * @param issuer    {@code iss}
 * @param subject   {@code sub}: the user, or the client for client_credentials
 * @param audience  {@code aud}
 * @param clientId  {@code client_id}
 * @param scopes    {@code scope}, space-delimited on the wire
 * @param jti       {@code jti}
 * @param issuedAt  {@code iat} (and {@code nbf})
 * @param expiresAt {@code exp}
 * @param claims    further claims (user claims, customizer claims)
 */
public record AccessToken(String issuer, String subject, String audience, String clientId, Set<String> scopes,
                          String jti, Instant issuedAt, Instant expiresAt, Map<String, Object> claims) {

    public AccessToken {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(clientId, "clientId");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        claims = Map.copyOf(claims);
    }

    /** The scopes as the {@code scope} claim writes them: sorted, space-delimited. */
    public String scopeString() {
        return Scopes.format(scopes);
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
