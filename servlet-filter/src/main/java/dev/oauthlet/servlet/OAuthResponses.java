package dev.oauthlet.servlet;

import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.spi.StorageException;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.error.TooManyAttemptsException;
import dev.oauthlet.protocol.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes protocol responses: JSON bodies with {@code no-store} caching, and RFC 6749 §5.2 errors. */
public final class OAuthResponses {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthResponses.class);

    private OAuthResponses() {
    }

    /**
     * Asks for the connection to be closed after this answer when {@code req} declares a body, for
     * answers sent without reading it: the container can drop only what has already arrived, and
     * closes the connection when more is on its way. Said in the answer ({@code Connection: close}),
     * a client with a pool of connections does not send its next request down one that is closing.
     * HTTP/1 only: HTTP/2 has no such header, and ends a stream, not the connection.
     */
    public static HttpServletResponse closingIfBodyUnread(jakarta.servlet.http.HttpServletRequest req, HttpServletResponse resp) {
        String protocol = req.getProtocol();
        if (protocol != null && protocol.startsWith("HTTP/1.")
                && (req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null)) {
            resp.setHeader("Connection", "close");
        }
        return resp;
    }

    /** A JSON body that no cache may keep (RFC 6749 §5.1). */
    public static void json(HttpServletResponse resp, int status, String json) throws IOException {
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Pragma", "no-cache");
        writeJson(resp, json);
    }

    /** A response without a body that no cache may keep (RFC 7009 revocation answers this way). */
    public static void empty(HttpServletResponse resp, int status) {
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Pragma", "no-cache");
        resp.setContentLength(0);
    }

    /** A JSON body with the caller's own caching headers. */
    public static void writeJson(HttpServletResponse resp, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        resp.setContentType("application/json;charset=UTF-8");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /**
     * An RFC 6749 §5.2 error. When a client that authenticated with the {@code Authorization}
     * header ({@code scheme} {@code Basic} or {@code Bearer}) fails, the 401 carries a
     * {@code WWW-Authenticate} challenge of that same scheme, as §5.2 requires.
     */
    public static void error(HttpServletResponse resp, OAuthException e, String scheme, String realm) throws IOException {
        ErrorCode code = e.error();
        if (e.getCause() instanceof StorageException) {
            // Oauthlet's outage log has told of the store, once; a stack trace per request would flood the log.
            LOG.debug("token request failed: {}", e.getMessage(), e.getCause());
        } else if (code == ErrorCode.SERVER_ERROR || code == ErrorCode.TEMPORARILY_UNAVAILABLE && !(e instanceof TooManyAttemptsException)) {
            // (A limit's refusals are the caller's doing, not the server's: a WARN each would let any caller flood the log.)
            LOG.warn("token request failed: {}", e.getMessage(), e.getCause());
        } else {
            LOG.debug("token request refused: {}", e.getMessage());
        }
        int status = e.status();
        if (code == ErrorCode.INVALID_CLIENT && scheme != null && status == 401) {
            String r = realm == null ? "oauthlet" : realm.replace("\"", "'");
            resp.setHeader("WWW-Authenticate", "Basic".equals(scheme)
                    ? "Basic realm=\"" + r + "\", charset=\"UTF-8\""
                    : scheme + " realm=\"" + r + "\", error=\"invalid_token\"");
        }
        if (code == ErrorCode.TEMPORARILY_UNAVAILABLE) {
            resp.setHeader("Retry-After", "5");
        }
        if (e instanceof TooManyAttemptsException t) {
            resp.setHeader("Retry-After", Long.toString(Math.max(1, t.retryAfter().toSeconds())));
        }
        if (e.dpopNonce() != null) {
            resp.setHeader("DPoP-Nonce", e.dpopNonce());
        }
        json(resp, status, errorJson(code.code(), e.description()));
    }

    public static String errorJson(String code, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", code);
        if (description != null) {
            m.put("error_description", description);
        }
        return Json.write(m);
    }
}
