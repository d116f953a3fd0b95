package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.protocol.Json;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** RFC 8414 authorization-server metadata. */
public final class MetadataServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Oauthlet server;
    private final transient Map<String, Object> endpoints;

    /** @param endpoints endpoint members ({@code token_endpoint}, {@code jwks_uri}, ...) as absolute URLs */
    public MetadataServlet(Oauthlet server, Map<String, Object> endpoints) {
        this.server = server;
        this.endpoints = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(endpoints));
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
        resp.setHeader("Cache-Control", "public, max-age=3600");
        OAuthResponses.writeJson(resp, Json.write(server.metadata(endpoints)));
    }
}
