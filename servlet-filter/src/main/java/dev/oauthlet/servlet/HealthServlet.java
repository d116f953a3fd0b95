package dev.oauthlet.servlet;

import dev.oauthlet.Health;
import dev.oauthlet.Oauthlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code endpoints.health}: {@code 200} with {@code "status":"UP"} when the store answers and a
 * signing key is at hand, else {@code 503} with {@code "status":"DOWN"} and which check failed —
 * no message, host or trace. {@link Oauthlet#health()} reuses its answer for a second.
 */
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Oauthlet server;

    public HealthServlet(Oauthlet server) {
        this.server = server;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws jakarta.servlet.ServletException, IOException {
        if (AllowedMethods.GET_HEAD.admit(req, resp)) {
            super.service(req, resp);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Health health = server.health();
        resp.setStatus(health.up() ? 200 : 503);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("application/json");
        byte[] body = health.json().getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
