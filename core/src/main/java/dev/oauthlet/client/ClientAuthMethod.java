package dev.oauthlet.client;

import java.util.Locale;

/**
 * How a client authenticates at the token, revocation and introspection endpoints, by the names of
 * RFC 7591 §2 ({@code token_endpoint_auth_method}). A client configured with one method is refused
 * with any other (RFC 7523 §3 and the OAuth 2.0 Security BCP: no downgrade to a shared secret).
 */
public enum ClientAuthMethod {
    /** The secret in HTTP Basic (RFC 6749 §2.3.1). */
    CLIENT_SECRET_BASIC,
    /** The secret among the body parameters. */
    CLIENT_SECRET_POST,
    /** A JWT signed with the client's private key, verified with its {@code jwks} or {@code jwks_uri} (RFC 7523). */
    PRIVATE_KEY_JWT,
    /** A JWT signed with HMAC under the client's secret (RFC 7523; OpenID Connect Core §9). */
    CLIENT_SECRET_JWT,
    /** No authentication: a public client. */
    NONE;

    /** The wire name, e.g. {@code private_key_jwt}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The method called {@code name} on the wire, or {@code null}. */
    public static ClientAuthMethod fromWire(String name) {
        for (ClientAuthMethod m : values()) {
            if (m.wireName().equals(name)) {
                return m;
            }
        }
        return null;
    }

    /** {@code true} for the two JWT-assertion methods. */
    public boolean assertion() {
        return this == PRIVATE_KEY_JWT || this == CLIENT_SECRET_JWT;
    }
}
