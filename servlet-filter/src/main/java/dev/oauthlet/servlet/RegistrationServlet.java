package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.admin.DynamicRegistration;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code endpoints.registration}: {@code POST} registers a client (RFC 7591); {@code GET},
 * {@code PUT} and {@code DELETE} at {@code PATH/CLIENT_ID}, its registration URI, read, replace and
 * delete it (RFC 7592). Bodies are JSON; every answer is {@code no-store}. A missing or wrong
 * token is {@code 401} with a {@code WWW-Authenticate: Bearer} challenge (RFC 6750 §3). The
 * decisions are {@link DynamicRegistration}'s; this servlet only carries them over HTTP.
 */
public final class RegistrationServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RegistrationServlet.class);
    private static final AllowedMethods AT_ENDPOINT = AllowedMethods.of("POST");
    private static final AllowedMethods AT_CLIENT = AllowedMethods.of("GET", "PUT", "DELETE");

    private final transient Oauthlet server;
    private final transient DynamicRegistration registration;

    public RegistrationServlet(Oauthlet server) {
        this.server = server;
        this.registration = server.registration().orElseThrow(() -> new IllegalStateException("registration: is not configured"));
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String clientId = clientId(req);
        AllowedMethods methods = clientId == null ? AT_ENDPOINT : AT_CLIENT;
        if (Cors.preflight(server.config().cors(), req, resp, methods.allow())) {
            return;
        }
        Cors.allow(server.config().cors(), req, resp);
        if (clientId != null && clientId.isEmpty()) {
            // PATH/ alone, or a further segment: no client's registration URI.
            OAuthResponses.json(resp, 404, OAuthResponses.errorJson("invalid_request", "no such registration URI"));
            return;
        }
        if (!methods.admit(req, resp)) {
            return;
        }
        String method = req.getMethod();
        if ("GET".equals(method) || "DELETE".equals(method)) {
            answer(req, resp, clientId, null);
            return;
        }
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).replace(" ", "").matches("application/json(;.*)?")) {
            error(req, OAuthResponses.closingIfBodyUnread(req, resp), new RequestRefusal(415, "send the client metadata as application/json"));
            return;
        }
        if (req.isAsyncSupported()) {
            AsyncBodyReader.read(req, resp, body -> answer(req, resp, clientId, body), refusal -> error(req, resp, refusal));
        } else {
            byte[] body = req.getInputStream().readNBytes(RequestParameters.MAX_BODY + 1);
            if (body.length > RequestParameters.MAX_BODY) {
                error(req, resp, RequestParameters.tooLarge());
                return;
            }
            answer(req, resp, clientId, body);
        }
    }

    private void answer(HttpServletRequest req, HttpServletResponse resp, String clientId, byte[] body) throws IOException {
        try {
            String authorization = authorization(req);
            String address = OAuthEndpointServlet.clientAddress(req, server);
            DynamicRegistration.Answer answer = switch (req.getMethod()) {
                case "POST" -> registration.register(authorization, address, body);
                case "GET" -> registration.read(clientId, address, authorization);
                case "PUT" -> registration.replace(clientId, address, authorization, body);
                default -> registration.delete(clientId, address, authorization);
            };
            if (answer.json() == null) {
                OAuthResponses.empty(resp, answer.status());
            } else {
                if (answer.location() != null) {
                    resp.setHeader("Location", answer.location());
                }
                OAuthResponses.json(resp, answer.status(), answer.json());
            }
        } catch (OAuthException e) {
            error(req, resp, e);
        } catch (dev.oauthlet.spi.StorageException e) {
            server.storeOutages().failed(e);
            error(req, resp, OAuthException.temporarilyUnavailable("the service is temporarily unavailable; try again shortly", e));
        } catch (RuntimeException e) {
            LOG.error("{} {} failed unexpectedly", req.getMethod(), req.getRequestURI(), e);
            error(req, resp, OAuthException.serverError("the server could not answer this request", e));
        }
    }

    /** An RFC 7591 §3.2.2 error; {@code 401} with the RFC 6750 §3 challenge, naming the error only when a token was sent. */
    private void error(HttpServletRequest req, HttpServletResponse resp, OAuthException e) throws IOException {
        if (e.error() == ErrorCode.INVALID_TOKEN) {
            String realm = server.issuer().replace("\"", "'");
            resp.setHeader("WWW-Authenticate", req.getHeader("Authorization") == null ? "Bearer realm=\"" + realm + "\""
                    : "Bearer realm=\"" + realm + "\", error=\"invalid_token\"");
        }
        OAuthResponses.error(resp, e, null, null);
    }

    /**
     * The client id of a registration URI ({@code PATH/CLIENT_ID}); {@code null} at the
     * registration endpoint itself; empty for anything else under it.
     */
    private static String clientId(HttpServletRequest req) {
        String info = req.getPathInfo();
        if (info == null) {
            return null;
        }
        String id = info.substring(1);
        return id.isEmpty() || id.contains("/") ? "" : id;
    }

    /** The one {@code Authorization} header, or {@code null}; two are refused. */
    private static String authorization(HttpServletRequest req) {
        Enumeration<String> headers = req.getHeaders("Authorization");
        if (headers == null || !headers.hasMoreElements()) {
            return null;
        }
        var all = Collections.list(headers);
        if (all.size() > 1) {
            throw OAuthException.invalidRequest("more than one Authorization header");
        }
        return all.get(0);
    }
}
