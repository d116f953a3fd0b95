package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;

/**
 * The JWK Set of the server's public keys. Caches may keep it for a short while — far shorter than
 * a retired key stays published, so a resource server always learns a new key before it needs it.
 */
public final class JwksServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final transient Oauthlet server;

    public JwksServlet(Oauthlet server) {
        this.server = server;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "public, max-age=" + MAX_AGE.getSeconds());
        resp.setContentType("application/jwk-set+json");
        byte[] body = server.jwks().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
