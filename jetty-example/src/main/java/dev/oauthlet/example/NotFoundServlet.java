package dev.oauthlet.example;

import dev.oauthlet.servlet.OAuthResponses;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Every path the example does not serve, for every method: {@code 404} as JSON. Without it
 * Jetty's default servlet answers an unknown method ({@code PATCH}) on such a path with
 * {@code 501}, a server error for a client's mistake (found by EndpointFuzzTest).
 */
final class NotFoundServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        OAuthResponses.json(resp, 404, OAuthResponses.errorJson("invalid_request", "no such endpoint"));
    }
}
