package dev.oauthlet.protocol;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request about one token: RFC 7009 revocation and RFC 7662 introspection ask in the same
 * words — the token, the caller's hint of its type, and how the client authenticated.
 *
 * @param token                {@code token}
 * @param tokenTypeHint        {@code token_type_hint} ({@code access_token} or {@code refresh_token}), or {@code null}
 * @param clientAuthentication the one client-authentication method used
 * @param remoteAddress        the caller's network address, which failure limits count by; {@code null} when unknown
 */
public record TokenManagementRequest(String token, String tokenTypeHint, ClientAuthentication clientAuthentication, String remoteAddress) {

    public TokenManagementRequest {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(clientAuthentication, "clientAuthentication");
    }

    /** A request whose caller's address is unknown. */
    public TokenManagementRequest(String token, String tokenTypeHint, ClientAuthentication clientAuthentication) {
        this(token, tokenTypeHint, clientAuthentication, null);
    }

    /** This request, from {@code address} (e.g. {@code ServletRequest.getRemoteAddr()}). */
    public TokenManagementRequest withRemoteAddress(String address) {
        return new TokenManagementRequest(token, tokenTypeHint, clientAuthentication, address);
    }

    /**
     * Parses raw request parameters and the {@code Authorization} header.
     *
     * @throws dev.oauthlet.error.OAuthException {@code invalid_request} for a missing {@code token},
     *         a parameter sent twice or two client-authentication methods at once
     */
    public static TokenManagementRequest parse(Map<String, List<String>> raw, String authorization) {
        Map<String, String> params = TokenRequest.singleValued(raw);
        String token = TokenRequest.require(params, "token");
        return new TokenManagementRequest(token, params.get("token_type_hint"), TokenRequest.clientAuthentication(params, authorization));
    }

    @Override
    public String toString() {
        return "TokenManagementRequest[hint=" + tokenTypeHint + ", client=" + clientAuthentication + "]";
    }
}
