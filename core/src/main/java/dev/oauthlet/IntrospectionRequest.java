package dev.oauthlet;

import dev.oauthlet.client.ClientAuthentication;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 7662 introspection request: the token, the caller's hint of its type, and how the
 * (confidential) client authenticated.
 *
 * @param token                {@code token}
 * @param tokenTypeHint        {@code token_type_hint} ({@code access_token} or {@code refresh_token}), or {@code null}
 * @param clientAuthentication the one client-authentication method used
 * @param remoteAddress        the caller's network address, which failure limits count by; {@code null} when unknown
 */
public record IntrospectionRequest(String token, String tokenTypeHint, ClientAuthentication clientAuthentication, String remoteAddress) {

    public IntrospectionRequest {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(clientAuthentication, "clientAuthentication");
    }

    /** A request whose caller's address is unknown. */
    public IntrospectionRequest(String token, String tokenTypeHint, ClientAuthentication clientAuthentication) {
        this(token, tokenTypeHint, clientAuthentication, null);
    }

    /** This request, from {@code address} (e.g. {@code ServletRequest.getRemoteAddr()}). */
    public IntrospectionRequest withRemoteAddress(String address) {
        return new IntrospectionRequest(token, tokenTypeHint, clientAuthentication, address);
    }

    /**
     * Parses raw request parameters and the {@code Authorization} header.
     *
     * @throws dev.oauthlet.error.OAuthException {@code invalid_request} for a missing {@code token},
     *         a parameter sent twice or two client-authentication methods at once
     */
    public static IntrospectionRequest parse(Map<String, List<String>> raw, String authorization) {
        Map<String, String> params = TokenRequest.singleValued(raw);
        String token = TokenRequest.require(params, "token");
        return new IntrospectionRequest(token, params.get("token_type_hint"), TokenRequest.clientAuthentication(params, authorization));
    }

    @Override
    public String toString() {
        return "IntrospectionRequest[hint=" + tokenTypeHint + ", client=" + clientAuthentication + "]";
    }
}
