package dev.oauthlet.token;

import dev.oauthlet.protocol.RegisteredClaims;
import dev.oauthlet.protocol.Scopes;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The content of an access token: what is about to be signed, or what a verified token said.
 *
 * @param issuer    {@code iss}
 * @param subject   {@code sub}: the user, or the client for client_credentials
 * @param audience  {@code aud}; several audiences are joined with spaces (no audience contains one)
 * @param clientId  {@code client_id}
 * @param scopes    {@code scope}, space-delimited on the wire; kept in the order given
 * @param jti       {@code jti}
 * @param issuedAt  {@code iat} (and {@code nbf})
 * @param expiresAt {@code exp}
 * @param claims    further claims (user claims, customizer claims)
 */
public record AccessToken(String issuer, String subject, String audience, String clientId, Set<String> scopes,
                          String jti, Instant issuedAt, Instant expiresAt, Map<String, Object> claims) {

    /** The claims the server sets itself; {@link #claims()} never holds them. */
    public static final Set<String> REGISTERED_CLAIMS = RegisteredClaims.NAMES;

    public AccessToken {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(clientId, "clientId");
        scopes = Scopes.ordered(scopes);
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        claims = Map.copyOf(claims);
        for (String name : claims.keySet()) {
            if (REGISTERED_CLAIMS.contains(name)) {
                throw new IllegalArgumentException("claim '" + name + "' is set by the server and cannot be an extra claim");
            }
        }
    }

    /** A token for {@code audiences}, joined as {@link #audience()} holds them. */
    public static String joinAudiences(java.util.Collection<String> audiences) {
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("a token needs at least one audience");
        }
        return String.join(" ", audiences);
    }

    /** {@code aud} as a list: one element, or several when the token was issued for several resources. */
    public java.util.List<String> audiences() {
        return java.util.List.of(audience.split(" "));
    }

    /** The scopes as the {@code scope} claim writes them: sorted, space-delimited. */
    public String scopeString() {
        return Scopes.format(scopes);
    }

    /** The confirmation claim's name (RFC 7800), under which a DPoP-bound token names its key as {@code jkt} (RFC 9449 §6). */
    public static final String CNF = "cnf";

    /** The thumbprint of the DPoP key this token is bound to ({@code cnf.jkt}), or {@code null} for a Bearer token. */
    public String dpopJkt() {
        return claims.get(CNF) instanceof Map<?, ?> cnf && cnf.get("jkt") instanceof String jkt ? jkt : null;
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
