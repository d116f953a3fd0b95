package dev.oauthlet.client;

/**
 * Whether a client's tokens are sender-constrained with DPoP (RFC 9449): {@code off} issues Bearer
 * tokens and ignores a {@code DPoP} header, {@code allowed} binds the tokens of a request that
 * carries a valid proof, {@code required} refuses a token request without one.
 */
public enum DpopMode {
    OFF,
    ALLOWED,
    REQUIRED
}
