package dev.oauthlet.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A successful token response, RFC 6749 §5.1.
 *
 * @param accessToken  {@code access_token}
 * @param tokenType    {@code token_type}, {@code Bearer}
 * @param expiresIn    {@code expires_in}, seconds
 * @param refreshToken {@code refresh_token}, or {@code null}
 * @param scope        {@code scope}, or {@code null} to leave it out
 * @param idToken      {@code id_token} (OpenID Connect Core §3.1.3.3), or {@code null} to leave it out
 */
public record TokenResponse(String accessToken, String tokenType, long expiresIn, String refreshToken, String scope, String idToken) {

    public TokenResponse {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(tokenType, "tokenType");
    }

    /** A response without an ID token. */
    public TokenResponse(String accessToken, String tokenType, long expiresIn, String refreshToken, String scope) {
        this(accessToken, tokenType, expiresIn, refreshToken, scope, null);
    }

    /** The members in the order they are written. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", accessToken);
        m.put("token_type", tokenType);
        m.put("expires_in", expiresIn);
        if (refreshToken != null) {
            m.put("refresh_token", refreshToken);
        }
        if (scope != null) {
            m.put("scope", scope);
        }
        if (idToken != null) {
            m.put("id_token", idToken);
        }
        return m;
    }

    public String toJson() {
        return Json.write(toMap());
    }

    @Override
    public String toString() {
        return "TokenResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn + ", refreshToken=" + (refreshToken != null) + ", scope=" + scope + ", idToken=" + (idToken != null) + "]";
    }
}
