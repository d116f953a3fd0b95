package dev.oauthlet.example;

import dev.oauthlet.protocol.Json;
import dev.oauthlet.servlet.AllowedMethods;
import dev.oauthlet.servlet.TokenPrincipal;
import dev.oauthlet.token.AccessToken;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A demo protected resource: answers who the Bearer token says the caller is, to GET and POST alike. */
public final class MeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final AllowedMethods METHODS = AllowedMethods.of("GET", "HEAD", "POST");

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws jakarta.servlet.ServletException, IOException {
        if (METHODS.admit(req, resp)) {
            super.service(req, resp);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        AccessToken token = ((TokenPrincipal) req.getUserPrincipal()).token();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", token.subject());
        body.put("client_id", token.clientId());
        body.put("aud", token.audience());
        body.put("scope", token.scopeString());
        body.putAll(new java.util.TreeMap<>(token.claims()));
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        resp.setContentType("application/json;charset=UTF-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    /** Seed APIs show POST requests to their resources (e.g. {@code POST /v1/gifts}); the demo answers them the same. */
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        doGet(req, resp);
    }
}
