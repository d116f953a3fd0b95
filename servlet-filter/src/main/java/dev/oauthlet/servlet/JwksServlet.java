package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The JWK Set of the server's public keys. Caches may keep it for {@link Oauthlet#jwksMaxAge()} —
 * well within the time a retired key stays published, so a cached copy never lacks a key that
 * still signs live tokens for long. (A resource server meeting a new kid refetches at once.)
 */
public final class JwksServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Oauthlet server;

    public JwksServlet(Oauthlet server) {
        this.server = server;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws jakarta.servlet.ServletException, IOException {
        if (Cors.preflight(server.config().cors(), req, resp, "GET")) {
            return;
        }
        if (AllowedMethods.GET_HEAD.admit(req, resp)) {
            super.service(req, resp);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Cors.allow(server.config().cors(), req, resp);
        resp.setHeader("Cache-Control", "public, max-age=" + server.jwksMaxAge().getSeconds());
        resp.setContentType("application/jwk-set+json");
        byte[] body = server.jwks().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
