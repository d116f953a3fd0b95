package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Where a servlet or filter finds its {@link Oauthlet}: handed over in code, or published in the
 * servlet context by {@link OauthletContextListener} under {@link #ATTRIBUTE}.
 */
@FunctionalInterface
interface OauthletLocator {

    /** The servlet-context attribute that holds the {@link Oauthlet}. */
    String ATTRIBUTE = Oauthlet.class.getName();

    Oauthlet get(HttpServletRequest request);

    static OauthletLocator of(Oauthlet server) {
        return request -> server;
    }

    static OauthletLocator fromContext() {
        return request -> fromContext(request.getServletContext());
    }

    static Oauthlet fromContext(ServletContext ctx) {
        Object o = ctx.getAttribute(ATTRIBUTE);
        if (!(o instanceof Oauthlet s)) {
            throw new IllegalStateException("no Oauthlet in the servlet context: add dev.oauthlet.servlet.OauthletContextListener to web.xml");
        }
        return s;
    }
}
