package dev.oauthlet.servlet.testapp;

import dev.oauthlet.protocol.Json;
import dev.oauthlet.servlet.BearerTokenFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The test application's protected resource: reports what the servlet API tells it about the
 * caller, so tests can check the principal, the roles and the claims attribute from outside.
 */
public final class ResourceServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("method", req.getMethod());
        body.put("user", req.getUserPrincipal() == null ? null : req.getUserPrincipal().getName());
        body.put("remote_user", req.getRemoteUser());
        body.put("auth_type", req.getAuthType());
        body.put("in_role_orders_read", req.isUserInRole("orders:read"));
        body.put("in_role_orders_write", req.isUserInRole("orders:write"));
        body.put("in_role_catalog_read", req.isUserInRole("catalog:read"));
        @SuppressWarnings("unchecked")
        Map<String, Object> claims = (Map<String, Object>) req.getAttribute(BearerTokenFilter.CLAIMS_ATTRIBUTE);
        body.put("claims", claims);
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        resp.setContentType("application/json;charset=UTF-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
