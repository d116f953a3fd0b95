package dev.oauthlet.servlet;

import dev.oauthlet.config.CorsConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * CORS for the endpoints browser clients call (token, JWKS, metadata, protected-resource
 * metadata): an origin in {@code cors.allowed-origins} may read the answers, and its preflights
 * are answered; any other origin gets no CORS header, so the browser keeps it out. No credentials
 * (cookies) are ever allowed: these endpoints do not use them.
 */
final class Cors {

    /** What a preflight may announce: client authentication, the body's type, and DPoP proofs. */
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, DPoP";
    /** What a page may read besides the simple headers: challenges, and when to retry. */
    static final String EXPOSED_HEADERS = "WWW-Authenticate, Retry-After";

    private Cors() {
    }

    /**
     * Adds the CORS headers of an actual request.
     */
    static void allow(CorsConfig config, HttpServletRequest req, HttpServletResponse resp) {
        if (config.allowedOrigins().isEmpty()) {
            return;
        }
        // The answer differs by Origin: a shared cache must not hand one origin's answer to another.
        resp.addHeader("Vary", "Origin");
        String origin = req.getHeader("Origin");
        if (config.allows(origin)) {
            resp.setHeader("Access-Control-Allow-Origin", origin);
            resp.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
    }

    /**
     * Answers a preflight ({@code OPTIONS} with {@code Origin} and
     * {@code Access-Control-Request-Method}): 204 with the allowed methods and headers for an allowed
     * origin, 403 without CORS headers otherwise.
     *
     * @param methods the methods the endpoint takes, e.g. {@code POST}
     * @return {@code false} when the request is not a preflight, and nothing was written
     */
    static boolean preflight(CorsConfig config, HttpServletRequest req, HttpServletResponse resp, String methods) {
        if (!"OPTIONS".equals(req.getMethod()) || req.getHeader("Origin") == null
                || req.getHeader("Access-Control-Request-Method") == null) {
            return false;
        }
        if (!config.allows(req.getHeader("Origin"))) {
            if (!config.allowedOrigins().isEmpty()) {
                resp.addHeader("Vary", "Origin");
            }
            resp.setStatus(403);
            resp.setContentLength(0);
            return true;
        }
        resp.addHeader("Vary", "Origin");
        resp.setHeader("Access-Control-Allow-Origin", req.getHeader("Origin"));
        resp.setHeader("Access-Control-Allow-Methods", methods);
        resp.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        resp.setHeader("Access-Control-Max-Age", "600");
        resp.setStatus(204);
        return true;
    }
}
