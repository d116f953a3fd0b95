package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.config.TokenEndpointConfig.RequestFormat;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.protocol.DpopHeader;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the token, refresh, revocation and introspection endpoints share: POST (and GET, where
 * query requests are configured) in the endpoint's formats, one {@code Authorization} header at
 * most, and every answer — success, refusal or surprise — as {@code no-store} JSON. Subclasses
 * only translate parameters into a call on {@link Oauthlet}.
 */
abstract class OAuthEndpointServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OAuthEndpointServlet.class);

    private final transient OauthletLocator server;
    private final Set<RequestFormat> formats;
    private final transient AllowedMethods methods;

    OAuthEndpointServlet(OauthletLocator server, Set<RequestFormat> formats) {
        this.server = server;
        this.formats = Set.copyOf(formats);
        this.methods = formats.contains(RequestFormat.QUERY) ? AllowedMethods.of("GET", "POST") : AllowedMethods.of("POST");
    }

    /**
     * Answers one request.
     *
     * @param remoteAddress the caller's address ({@link #clientAddress}), which failure limits count by
     * @return the JSON body of the 200 answer, or {@code null} for an empty one
     * @throws OAuthException for every refusal
     */
    abstract String answer(Oauthlet oauthlet, Map<String, List<String>> parameters, String authorization, String remoteAddress);

    /**
     * As above, for the endpoints that issue tokens and so may bind them to a DPoP key: with the
     * request's {@code DPoP} header ({@code null} when it has none). The others ignore it.
     */
    String answer(Oauthlet oauthlet, Map<String, List<String>> parameters, String authorization, String remoteAddress,
                  DpopHeader dpop) {
        return answer(oauthlet, parameters, authorization, remoteAddress);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (cors(req, resp)) {
            return;
        }
        // HttpServlet's own 405 is an HTML page, and its TRACE echoes the request; clients expect RFC 6749 JSON.
        if (!methods.admit(req, resp)) {
            return;
        }
        if ("GET".equals(req.getMethod())) {
            answer(req, resp, null);
            return;
        }
        try {
            RequestParameters.checkContentType(req.getContentType(), postFormats());
        } catch (OAuthException e) {
            OAuthResponses.error(OAuthResponses.closingIfBodyUnread(req, resp), e, null, null);
            return;
        }
        if (req.isAsyncSupported()) {
            AsyncBodyReader.read(req, resp, body -> answer(req, resp, body), refusal -> OAuthResponses.error(resp, refusal, null, null));
        } else {
            answer(req, resp, null);
        }
    }

    /**
     * Answers a request whose parameters are in the query ({@code GET}), in {@code body} when it
     * was read already, or otherwise in the body still to be read.
     */
    private void answer(HttpServletRequest req, HttpServletResponse resp, byte[] body) throws IOException {
        String method = req.getMethod();
        String scheme = null;
        String realm = null;
        try {
            Oauthlet oauthlet = server.get(req);
            realm = oauthlet.issuer();
            String authorization = authorization(req);
            scheme = scheme(authorization);
            Map<String, List<String>> params = "GET".equals(method) ? RequestParameters.query(req)
                    : body != null ? RequestParameters.parse(req.getContentType(), body, formats)
                    : RequestParameters.body(req, postFormats());
            String answer = answer(oauthlet, params, authorization, clientAddress(req, oauthlet), dpopHeader(req, oauthlet.issuer()));
            if (answer == null) {
                OAuthResponses.empty(resp, 200);
            } else {
                OAuthResponses.json(resp, 200, answer);
            }
        } catch (OAuthException e) {
            OAuthResponses.error(resp, e, scheme, realm);
        } catch (RuntimeException e) {
            LOG.error("{} {} failed unexpectedly", method, req.getRequestURI(), e);
            OAuthResponses.error(resp, OAuthException.serverError("the server could not answer this request", e), null, null);
        }
    }

    /** Adds the CORS headers of {@code cors:}; {@code true} when the request was a preflight, now answered. */
    private boolean cors(HttpServletRequest req, HttpServletResponse resp) {
        if (req.getHeader("Origin") == null) {
            return false;
        }
        dev.oauthlet.config.CorsConfig cors;
        try {
            cors = server.get(req).config().cors();
        } catch (RuntimeException e) {
            // No server to ask: the request itself will be answered with the reason.
            return false;
        }
        if (Cors.preflight(cors, req, resp, methods.allow())) {
            return true;
        }
        Cors.allow(cors, req, resp);
        return false;
    }

    /** The caller's address: the connection's, or what a trusted proxy says in {@code X-Forwarded-For}. */
    static String clientAddress(HttpServletRequest req, Oauthlet oauthlet) {
        Enumeration<String> forwarded = req.getHeaders("X-Forwarded-For");
        List<String> hops = forwarded == null ? List.of() : java.util.Collections.list(forwarded);
        return oauthlet.config().authorization().trustedProxies().clientAddress(req.getRemoteAddr(), hops);
    }

    /** Body formats: a query-only endpoint accepts no POST body at all. */
    private Set<RequestFormat> postFormats() {
        if (!formats.contains(RequestFormat.FORM) && !formats.contains(RequestFormat.JSON)) {
            throw OAuthException.invalidRequest("this endpoint takes GET with query parameters");
        }
        return formats;
    }

    /** The one {@code Authorization} header, or {@code null}; two of them are two authentications at once. */
    private static String authorization(HttpServletRequest req) {
        Enumeration<String> headers = req.getHeaders("Authorization");
        if (headers == null || !headers.hasMoreElements()) {
            return null;
        }
        String first = headers.nextElement();
        if (headers.hasMoreElements()) {
            throw OAuthException.invalidRequest("more than one Authorization header");
        }
        return first;
    }

    /**
     * The one {@code DPoP} header with what its proof must match: this method, and this endpoint's
     * URL as the issuer names its origin (what a client behind a proxy was told) or as the container
     * received it. Two headers are joined as HTTP joins repeated fields (RFC 9110 §5.3), which no
     * proof verifies (RFC 9449 §4.3: exactly one) — for a client with DPoP off they are ignored.
     */
    static DpopHeader dpopHeader(HttpServletRequest req, String issuer) {
        Enumeration<String> headers = req.getHeaders("DPoP");
        if (headers == null || !headers.hasMoreElements()) {
            return null;
        }
        String proof = String.join(", ", Collections.list(headers));
        List<URI> urls = new ArrayList<>(2);
        try {
            URI iss = URI.create(issuer);
            urls.add(new URI(iss.getScheme() + "://" + iss.getRawAuthority() + req.getRequestURI()));
        } catch (IllegalArgumentException | URISyntaxException e) {
            // An issuer that is no URI cannot name an origin; the container's URL still can.
        }
        try {
            urls.add(new URI(req.getRequestURL().toString()));
        } catch (URISyntaxException e) {
            // Only a broken container builds an unparseable URL; the issuer's one remains.
        }
        return new DpopHeader(proof, req.getMethod(), urls);
    }

    /** The scheme of the header, {@code Basic} or {@code Bearer}, for the challenge of a failed authentication. */
    private static String scheme(String authorization) {
        if (authorization == null) {
            return null;
        }
        if (authorization.regionMatches(true, 0, "Basic", 0, 5)) {
            return "Basic";
        }
        if (authorization.regionMatches(true, 0, "Bearer", 0, 6)) {
            return "Bearer";
        }
        return null;
    }
}
