package dev.oauthlet.servlet;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Serves the RFC 8414 metadata of an issuer with a path at the host-root location RFC 8414 §3.1
 * gives it: for the issuer {@code https://api.example.com/app}, a client asks
 * {@code https://api.example.com/.well-known/oauth-authorization-server/app}, outside the WAR at
 * {@code /app}. Deployed in the root web application and mapped to
 * {@code /.well-known/oauth-authorization-server/*}, it forwards such a request to the
 * application whose context path starts the issuer's path, where Oauthlet serves the same
 * document at the issuer's path plus {@code /.well-known/oauth-authorization-server}.
 *
 * <p>It needs the container's cross-context dispatch for the root application (Tomcat:
 * {@code <Context crossContext="true"/>}); without it, and for a path no application serves, it
 * answers 404. Only that one document is reached: the forwarded path always ends with the
 * well-known segment. It needs nothing but the servlet API, so the root application's
 * {@code WEB-INF/lib} holds this jar alone.
 */
public final class WellKnownForwarder extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String WELL_KNOWN = "/.well-known/oauth-authorization-server";

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        String method = req.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS")) {
            resp.setHeader("Allow", "GET, HEAD, OPTIONS");
            resp.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        String issuerPath = req.getPathInfo();
        ServletContext target = issuerPath == null || issuerPath.equals("/") ? null : getServletContext().getContext(issuerPath);
        // The root context itself (no application at that path) or no cross-context access: nothing to forward to.
        if (target == null || target.getContextPath().isEmpty()) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        RequestDispatcher metadata = target.getRequestDispatcher(issuerPath.substring(target.getContextPath().length()) + WELL_KNOWN);
        if (metadata == null) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        metadata.forward(req, resp);
    }
}
