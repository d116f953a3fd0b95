package dev.oauthlet.servlet;

import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.token.TokenVerificationException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * The RFC 6750 §3 refusals of {@link BearerTokenFilter}: a {@code WWW-Authenticate: Bearer}
 * challenge, and for errors the same code and description as a JSON body, never cached. Each is
 * sent without the request's body read, so it closes the connection when one was declared
 * ({@link OAuthResponses#closingIfBodyUnread}).
 */
final class BearerChallenges {

    private final String realm;
    private final ErrorCode expiredError;
    /** {@code , resource_metadata="URL"} (RFC 9728 §5.1), or empty. */
    private final String metadata;
    private final String dpopAlgs;

    /** @param resourceMetadata the URL of the resource's RFC 9728 document; {@code null} when it has none */
    BearerChallenges(String realm, ErrorCode expiredError, String resourceMetadata) {
        this(realm, expiredError, resourceMetadata, null);
    }

    /**
     * @param resourceMetadata the URL of the resource's RFC 9728 document; {@code null} when it has none
     * @param dpopAlgs         the proof algorithms a DPoP challenge names ({@code algs}, RFC 9449 §7.1); {@code null} when DPoP is off
     */
    BearerChallenges(String realm, ErrorCode expiredError, String resourceMetadata, String dpopAlgs) {
        this.realm = realm;
        this.expiredError = expiredError;
        this.metadata = resourceMetadata == null ? "" : ", resource_metadata=\"" + resourceMetadata + "\"";
        this.dpopAlgs = dpopAlgs;
    }

    /** No token at all: a challenge without error code (RFC 6750 §3.1), and the DPoP one beside it when DPoP is accepted. */
    void noToken(HttpServletRequest req, HttpServletResponse resp) {
        OAuthResponses.closingIfBodyUnread(req, resp);
        resp.setHeader("WWW-Authenticate", "Bearer realm=\"" + realm + "\"" + metadata);
        if (dpopAlgs != null) {
            resp.addHeader("WWW-Authenticate", "DPoP algs=\"" + dpopAlgs + "\"" + metadata);
        }
        resp.setHeader("Cache-Control", "no-store");
        resp.setStatus(401);
    }

    /**
     * A refusal of the DPoP scheme (RFC 9449 §7.1): always {@code 401} with a {@code DPoP}
     * challenge naming the error ({@code invalid_dpop_proof}, {@code use_dpop_nonce} with the
     * nonce in {@code DPoP-Nonce}, or {@code invalid_token}) and the accepted algorithms.
     */
    void dpopRefused(HttpServletRequest req, HttpServletResponse resp, ErrorCode code, String description, String nonce) throws IOException {
        OAuthResponses.closingIfBodyUnread(req, resp);
        String safe = description.replace('"', '\'').replace('\\', '/');
        resp.setHeader("WWW-Authenticate", "DPoP error=\"" + code.code() + "\", error_description=\"" + safe
                + "\", algs=\"" + dpopAlgs + "\"" + metadata);
        if (nonce != null) {
            resp.setHeader("DPoP-Nonce", nonce);
        }
        resp.setHeader("Cache-Control", "no-store");
        resp.setStatus(401);
        OAuthResponses.writeJson(resp, OAuthResponses.errorJson(code.code(), safe));
    }

    void invalidRequest(HttpServletRequest req, HttpServletResponse resp, String description) throws IOException {
        refuse(req, resp, ErrorCode.INVALID_REQUEST, description, null);
    }

    void invalidToken(HttpServletRequest req, HttpServletResponse resp, TokenVerificationException e) throws IOException {
        refuse(req, resp, e.reason() == TokenVerificationException.Reason.EXPIRED ? expiredError : ErrorCode.INVALID_TOKEN,
                e.getMessage(), null);
    }

    /** {@code invalid_token} for a reason the verifier does not know (a binding refused). */
    void invalidToken(HttpServletRequest req, HttpServletResponse resp, String description) throws IOException {
        refuse(req, resp, ErrorCode.INVALID_TOKEN, description, null);
    }

    void insufficientScope(HttpServletRequest req, HttpServletResponse resp, Set<String> missing) throws IOException {
        String scope = String.join(" ", missing);
        refuse(req, resp, ErrorCode.INSUFFICIENT_SCOPE, "the token lacks scope " + scope, scope);
    }

    /** The deny-list could not be read: the token may be revoked, so it is not let through. */
    void unavailable(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        OAuthResponses.closingIfBodyUnread(req, resp);
        resp.setHeader("Retry-After", "5");
        resp.setHeader("Cache-Control", "no-store");
        resp.setStatus(503);
        OAuthResponses.writeJson(resp, OAuthResponses.errorJson(ErrorCode.TEMPORARILY_UNAVAILABLE.code(),
                "the service is temporarily unavailable; try again shortly"));
    }

    private void refuse(HttpServletRequest req, HttpServletResponse resp, ErrorCode code, String description, String scope) throws IOException {
        OAuthResponses.closingIfBodyUnread(req, resp);
        // RFC 6750 §3 allows neither '"' nor '\' inside these quoted values.
        String safe = description.replace('"', '\'').replace('\\', '/');
        StringBuilder challenge = new StringBuilder(96).append("Bearer realm=\"").append(realm)
                .append("\", error=\"").append(code.code())
                .append("\", error_description=\"").append(safe).append('"');
        if (scope != null) {
            challenge.append(", scope=\"").append(scope).append('"');
        }
        challenge.append(metadata);
        resp.setHeader("WWW-Authenticate", challenge.toString());
        resp.setHeader("Cache-Control", "no-store");
        resp.setStatus(code.status());
        OAuthResponses.writeJson(resp, OAuthResponses.errorJson(code.code(), safe));
    }
}
