package dev.oauthlet.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * The methods one servlet serves; every other is answered {@code 405} with an {@code Allow}
 * header and an RFC 6749 JSON error. {@link jakarta.servlet.http.HttpServlet} would otherwise
 * answer {@code TRACE} by echoing the request, cookies included (cross-site tracing), and
 * {@code OPTIONS} with its own list. {@code OPTIONS} is refused too, except as a CORS preflight
 * at the servlets that serve {@code cors.allowed-origins} (see {@link Cors}), which answer it first.
 */
public final class AllowedMethods {

    /** Reading resources: GET and its HEAD. */
    public static final AllowedMethods GET_HEAD = new AllowedMethods(List.of("GET", "HEAD"));

    private final Set<String> methods;
    private final String allow;

    private AllowedMethods(List<String> methods) {
        this.methods = Set.copyOf(methods);
        this.allow = String.join(", ", methods);
    }

    /** The given methods, in the order the {@code Allow} header lists them. */
    public static AllowedMethods of(String... methods) {
        return new AllowedMethods(List.of(methods));
    }

    /** The {@code Allow} header's value. */
    public String allow() {
        return allow;
    }

    /**
     * {@code true} when {@code req}'s method is served; otherwise answers {@code 405} and
     * returns {@code false}.
     */
    public boolean admit(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getMethod();
        if (methods.contains(method)) {
            return true;
        }
        resp.setHeader("Allow", allow);
        OAuthResponses.json(OAuthResponses.closingIfBodyUnread(req, resp), 405, OAuthResponses.errorJson("invalid_request",
                "method not allowed here; use " + allow));
        return false;
    }
}
